/**
 * The correlator against the simulator's truth, every scenario at seed 1: the thresholds the
 * project holds linking and incident detection to. Link precision/recall are the linker's
 * (src/correlate/link.ts); the incident checks are detection's (src/correlate/incidents/).
 * The scoring itself is checked first on a hand-made store, so a pass means something.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluateScenario, formatTable, scoreIncidents, scoreLinks, totals, type ScenarioScore, type Truth } from '../../../src/correlate/eval.js';
import { SCENARIOS } from '../../../src/sim/index.js';
import { Fixture, T0 } from './incidents/fixture.js';

test('link scoring: truth lines map to the events covering them; UID-less objects count by name and lifetime', () => {
  const f = new Fixture();
  const pod = f.pod('default', 'web-1', { uid: 'u-pod' });
  const node = f.obj('Node', null, 'w1', { uid: null });
  const other = f.pod('default', 'db-0', { uid: 'u-db' });
  f.ev({ t: 0, component: 'kubelet', message: 'a', about: [pod, node], file: 'k.log' }); // line 1: right, right
  f.ev({ t: 1, component: 'kubelet', message: 'b', about: [other], file: 'k.log' }); // line 2: wrong, and misses pod
  f.ev({ t: 2, component: 'kubelet', message: 'c', about: [{ obj: pod, confidence: 0.4, via: 'emitter' }], file: 'k.log' }); // line 3: emitter only
  f.done();
  const truth: Pick<Truth, 'lines' | 'objects'> = {
    lines: [
      { file: 'k.log', line: 1, objects: ['u-pod', 'u-node'], incident: null },
      { file: 'k.log', line: 2, objects: ['u-pod'], incident: null },
      { file: 'k.log', line: 3, objects: ['u-pod'], incident: null },
      { file: 'gone.log', line: 1, objects: ['u-pod'], incident: null },
    ],
    objects: [{ uid: 'u-node', kind: 'Node', namespace: null, name: 'w1', created: T0 - 1, deleted: null }],
  };
  const s = scoreLinks(f.store, truth);
  assert.deepEqual(
    { tp: s.truePositives, fp: s.falsePositives, fn: s.falseNegatives, events: s.eventsScored, uncovered: s.uncoveredTruthLines },
    { tp: 2, fp: 1, fn: 3, events: 3, uncovered: 1 },
  );
  assert.equal(s.precision, 2 / 3);
  assert.equal(s.recall, 2 / 5);
});

test('incident scoring: kind, root and time must all match; unmatched error-level incidents are false', () => {
  const f = new Fixture();
  const pod = f.pod('shop', 'checkout-1', { uid: 'u-pod' });
  const svc = f.obj('Service', 'shop', 'cache', { uid: null });
  f.ev({ t: 0, component: 'kubelet', message: 'x', about: [pod], file: 'k.log' });
  f.done();
  const insert = f.db.prepare(`INSERT INTO incidents (kind, severity, start_time, end_time, root_object_id, summary, details) VALUES (?, ?, ?, ?, ?, ?, ?)`);
  const details = (components: string[]) => JSON.stringify({ components });
  insert.run('crashloop', 3, T0, T0 + 60e6, pod.id, 'loop', details(['kubelet', 'event']));
  insert.run('service-no-endpoints', 3, T0, T0 + 60e6, svc.id, 'svc', details(['kubelet']));
  insert.run('oom-kill', 3, T0, T0 + 60e6, pod.id, 'false one', details(['kubelet']));
  insert.run('probe-failure', 2, T0, T0 + 60e6, pod.id, 'warning', details(['kubelet']));
  const truth: Truth = {
    lines: [{ file: 'k.log', line: 1, objects: ['u-pod'], incident: 'inc-1' }],
    objects: [{ uid: 'u-svc', kind: 'Service', namespace: 'shop', name: 'cache', created: T0, deleted: null }],
    incidents: [
      { id: 'inc-1', kind: 'crashloop', root: 'u-pod', start: T0 + 30e6, end: T0 + 600e6, components: ['kubelet', 'event', 'audit'] },
      { id: 'inc-2', kind: 'service-no-endpoints', root: 'u-svc', start: T0, end: T0 + 600e6, components: ['kubelet'] },
      { id: 'inc-3', kind: 'crashloop', root: 'u-pod', start: T0 + 700e6, end: T0 + 800e6, components: [] },
    ],
  };
  const s = scoreIncidents(f.store, truth);
  assert.deepEqual(
    s.matches.map((m) => [m.truth.id, m.found, m.rootMatchedBy, m.componentsCovered, m.missingComponents, m.unreachableComponents]),
    [
      ['inc-1', true, 'uid', false, ['audit'], ['audit']],
      ['inc-2', true, 'name', true, [], []],
      ['inc-3', false, null, false, [], []],
    ],
  );
  assert.deepEqual(s.falseIncidents.map((i) => i.summary), ['false one']);
  assert.deepEqual(s.otherIncidents.map((i) => i.summary), ['warning']);
});

test('every scenario, seed 1: links precise and complete, every incident found, nothing false', { timeout: 600_000 }, async () => {
  const scores: ScenarioScore[] = [];
  for (const s of SCENARIOS) scores.push(await evaluateScenario(s, 1));
  const t = totals(scores);
  // The figures, whatever the outcome: they are what the report quotes.
  process.stdout.write(formatTable(scores));
  for (const s of scores) {
    for (const m of s.incidents.matches) assert.ok(m.found, `${s.scenario}: ${m.truth.kind} (root ${m.truth.root}) not found`);
    assert.deepEqual(s.incidents.falseIncidents.map((i) => `${i.kind}: ${i.summary}`), [], `${s.scenario}: false incidents`);
  }
  assert.deepEqual(scores.find((s) => s.scenario === 'healthy-rollout')!.incidents.otherIncidents.map((i) => i.summary), [], 'healthy-rollout: no incident at all');
  assert.ok(t.precision >= 0.99, `link precision ${t.precision.toFixed(4)} < 0.99`);
  assert.ok(t.recall >= 0.95, `link recall ${t.recall.toFixed(4)} < 0.95`);
});
