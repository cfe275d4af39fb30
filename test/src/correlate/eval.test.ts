/**
 * The correlator against the simulator's truth, every scenario over seeds 1..3, k8s 1.20 and 1.32,
 * text and JSON logging: the thresholds the project holds linking and incident detection to, held
 * by each scenario on its own. Link precision/recall are the linker's
 * (src/correlate/link.ts); the incident checks are detection's (src/correlate/incidents/).
 * The scoring itself is checked first on a hand-made store, so a pass means something.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseArgs } from 'node:util';
import {
  CLI_OPTIONS,
  evaluateScenario,
  formatTable,
  matchOneToOne,
  runsFromArgs,
  scoreIncidents,
  scoreLinks,
  thresholdFailures,
  totals,
  variantLabel,
  type EvalRun,
  type ScenarioScore,
  type Truth,
} from '../../../src/correlate/eval.js';
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

test('incident scoring: kind, root and time must all match; every unmatched incident is false, whatever its level', () => {
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
  // The warn-level probe failure nobody caused is false too (it used to be set aside).
  assert.deepEqual(s.falseIncidents.map((i) => i.summary), ['false one', 'warning']);
});

test('one stored incident cannot satisfy two truth incidents', () => {
  const f = new Fixture();
  const pod = f.pod('shop', 'checkout-1', { uid: 'u-pod' });
  f.ev({ t: 0, component: 'kubelet', message: 'x', about: [pod], file: 'k.log' });
  f.done();
  const insert = f.db.prepare(`INSERT INTO incidents (kind, severity, start_time, end_time, root_object_id, summary, details) VALUES (?, ?, ?, ?, ?, ?, ?)`);
  // One hour-long crash loop overlapping two separate truth crash loops of the same pod.
  insert.run('crashloop', 3, T0, T0 + 3600e6, pod.id, 'the long loop', JSON.stringify({ components: ['kubelet'] }));
  const truth: Truth = {
    lines: [],
    objects: [],
    incidents: [
      { id: 'early', kind: 'crashloop', root: 'u-pod', start: T0 + 60e6, end: T0 + 600e6, components: ['kubelet'] },
      { id: 'late', kind: 'crashloop', root: 'u-pod', start: T0 + 1800e6, end: T0 + 2400e6, components: ['kubelet'] },
    ],
  };
  const s = scoreIncidents(f.store, truth);
  assert.deepEqual(s.matches.map((m) => [m.truth.id, m.found]), [['early', true], ['late', false]]);
  assert.equal(totals([{ scenario: 'x', variant: 'v', events: 1, links: perfectLinks, incidents: s, ms: { simulate: 0, ingest: 0, link: 0, detect: 0 } }]).found, 1);

  // With a second stored loop both are found, each by its own incident.
  insert.run('crashloop', 3, T0 + 1700e6, T0 + 2500e6, pod.id, 'the second loop', JSON.stringify({ components: ['kubelet'] }));
  const again = scoreIncidents(f.store, truth);
  assert.deepEqual(again.matches.map((m) => [m.truth.id, m.found]), [['early', true], ['late', true]]);
  assert.notEqual(again.matches[0]!.incidentId, again.matches[1]!.incidentId);
  assert.deepEqual(again.falseIncidents, []);
});

test('matchOneToOne finds the largest pairing, moving an earlier choice when a later one needs it', () => {
  // Truth 0 accepts stored 7 or 8, truth 1 only 7: a greedy first pick (0 -> 7) would leave 1 unmatched.
  assert.deepEqual(matchOneToOne([[7, 8], [7]]), [8, 7]);
  assert.deepEqual(matchOneToOne([[7], [7], [7]]).filter((x) => x !== undefined), [7]);
  assert.deepEqual(matchOneToOne([[], [1]]), [undefined, 1]);
});

const perfectLinks = { truePositives: 10, falsePositives: 0, falseNegatives: 0, precision: 1, recall: 1, eventsScored: 10, uncoveredTruthLines: 0 };

test('thresholdFailures: each threshold is held per scenario and names what fell short', () => {
  const base: ScenarioScore = { scenario: 'dns-failure', variant: 'seed 2, k8s 1.20, json', events: 100, links: perfectLinks, incidents: { matches: [], falseIncidents: [] }, ms: { simulate: 0, ingest: 0, link: 0, detect: 0 } };
  assert.deepEqual(thresholdFailures(base), []);
  const truthIncident = { id: 't', kind: 'dns-nxdomain', root: 'u', start: 0, end: 1, components: ['coredns', 'kubelet'] };
  const bad: ScenarioScore = {
    ...base,
    links: { ...perfectLinks, truePositives: 98, falsePositives: 2, precision: 0.98, falseNegatives: 20, recall: 98 / 118 },
    incidents: {
      matches: [
        { truth: truthIncident, found: true, incidentId: 4, rootMatchedBy: 'uid', componentsCovered: false, missingComponents: ['kubelet'], unreachableComponents: [] },
        { truth: { ...truthIncident, kind: 'crashloop' }, found: false, incidentId: null, rootMatchedBy: null, componentsCovered: false, missingComponents: [], unreachableComponents: [] },
      ],
      falseIncidents: [{ id: 9, kind: 'probe-failure', severity: 2, start: 0, end: 1, rootUid: null, rootKind: null, rootNamespace: null, rootName: null, summary: 'probe', components: [] }],
    },
  };
  assert.deepEqual(thresholdFailures(bad), [
    'dns-failure (seed 2, k8s 1.20, json): link precision 98.00% < 99.00%',
    'dns-failure (seed 2, k8s 1.20, json): link recall 83.05% < 95.00%',
    'dns-failure (seed 2, k8s 1.20, json): dns-nxdomain (#4) evidence lacks kubelet',
    'dns-failure (seed 2, k8s 1.20, json): MISSED crashloop root u',
    'dns-failure (seed 2, k8s 1.20, json): FALSE probe-failure (severity 2) #9: probe',
  ]);
  // The table marks the scenario and lists the same shortfalls.
  const table = formatTable([base, bad]);
  assert.match(table, /^dns-failure\s+seed 2, k8s 1\.20, json .* yes$/m);
  assert.match(table, /^dns-failure\s+seed 2, k8s 1\.20, json .* NO$/m);
  assert.match(table, /^ {2}dns-failure \(seed 2, k8s 1\.20, json\): FALSE probe-failure/m);
});

test('the command line: --matrix is seeds 1..3 x k8s 1.20, 1.32 x text, json; bad values are refused', () => {
  const parse = (args: string[]) => runsFromArgs(parseArgs({ args, options: CLI_OPTIONS, strict: true }).values);
  const matrix = parse(['--matrix']).map(variantLabel);
  assert.equal(matrix.length, 12);
  assert.equal(new Set(matrix).size, 12);
  for (const seed of [1, 2, 3]) for (const v of ['1.20', '1.32']) for (const f of ['text', 'json']) assert.ok(matrix.includes(`seed ${seed}, k8s ${v}, ${f}`));
  assert.deepEqual(parse(['--seed', '2', '--seed', '3', '--k8s-version', '1.20']).map(variantLabel), ['seed 2, k8s 1.20, text', 'seed 3, k8s 1.20, text']);
  assert.deepEqual(parse([]).map(variantLabel), ['seed 1, k8s 1.32, text']);
  assert.throws(() => parse(['--k8s-version', '1.99']), /1\.20 or 1\.32/);
  assert.throws(() => parse(['--seed', 'x']), /whole number/);
});

/**
 * The runs the suite holds the thresholds over: every seed 1..3, both k8s versions and both
 * logging formats, and every version x format pair, in four runs (`npm run eval -- --matrix`
 * runs all twelve combinations; its figures are what the report quotes).
 */
const SUITE_RUNS: EvalRun[] = [
  { seed: 1, variant: { k8sVersion: '1.32', loggingFormat: 'text' } },
  { seed: 2, variant: { k8sVersion: '1.20', loggingFormat: 'json' } },
  { seed: 3, variant: { k8sVersion: '1.32', loggingFormat: 'json' } },
  { seed: 3, variant: { k8sVersion: '1.20', loggingFormat: 'text' } },
];

for (const run of SUITE_RUNS) {
  test(`every scenario, ${variantLabel(run)}: each holds the thresholds on its own`, { timeout: 600_000 }, async () => {
    const scores: ScenarioScore[] = [];
    for (const s of SCENARIOS) scores.push(await evaluateScenario(s, run.seed, run.variant));
    // The figures, whatever the outcome.
    process.stdout.write(formatTable(scores));
    assert.equal(scores.length, SCENARIOS.length);
    // Incidents to find in every scenario but healthy-rollout, so "all found" is not vacuous.
    for (const s of scores) if (s.scenario !== 'healthy-rollout') assert.ok(s.incidents.matches.length > 0, `${s.scenario}: the truth has no incident`);
    assert.deepEqual(scores.flatMap((s) => thresholdFailures(s)), []);
  });
}
