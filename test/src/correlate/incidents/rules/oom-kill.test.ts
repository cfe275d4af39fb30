import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectIncidents } from '../../../../../src/correlate/incidents/index.js';
import { crashloopRule } from '../../../../../src/correlate/incidents/rules/crashloop.js';
import { oomCandidateSignals, oomKillRule } from '../../../../../src/correlate/incidents/rules/oom-kill.js';
import type { PodSignal } from '../../../../../src/correlate/incidents/pod-incidents.js';
import { at, crashLoopErr, evidence, Fixture, incidents, kubeletErrorSyncing, type Obj } from '../fixture.js';

function died(f: Fixture, t: number, pod: Obj, exitCode: number): number {
  return f.ev({ t, component: 'kubelet', message: 'Generic (PLEG): container finished', fields: { podID: pod.uid, containerID: 'c', exitCode }, about: [pod] });
}

test('exit 137 with no kubelet kill before it is an OOM kill, and the pod is not also a crash loop', () => {
  const f = new Fixture();
  const pod = f.pod('batch', 'worker-1');
  const d1 = died(f, 30, pod, 137);
  const e1 = kubeletErrorSyncing(f, 30.1, pod, crashLoopErr('worker', pod, '10s'));
  const d2 = died(f, 80, pod, 137);
  const e2 = kubeletErrorSyncing(f, 80.1, pod, crashLoopErr('worker', pod, '20s'));
  f.done();
  const summary = detectIncidents(f.store, { rules: [crashloopRule, oomKillRule] });
  assert.deepEqual(summary.byKind, { 'oom-kill': 1 });
  const [inc] = incidents(f.db);
  assert.equal(inc!.rootUid, pod.uid);
  assert.equal(inc!.start, at(30));
  assert.equal(inc!.end, at(80.1));
  assert.equal(inc!.summary, 'pod/batch/worker-1: container OOM-killed 2 times');
  assert.equal(inc!.details.counts['oomKills'], 2);
  assert.deepEqual([...evidence(f.db, inc!.id)], [[d1, 'trigger'], [e1, 'trigger'], [d2, 'trigger'], [e2, 'trigger']]);
});

test('one OOM kill is enough; an explicit OOMKilled line counts too', () => {
  const f = new Fixture();
  const a = f.pod('batch', 'a');
  died(f, 10, a, 137);
  const b = f.pod('batch', 'b');
  f.ev({ t: 20, component: 'kubelet', message: 'Container terminated', fields: { pod: 'batch/b', podUID: b.uid, reason: 'OOMKilled' }, about: [b] });
  f.done();
  detectIncidents(f.store, { rules: [oomKillRule] });
  assert.deepEqual(incidents(f.db).map((i) => [i.kind, i.rootUid]), [
    ['oom-kill', a.uid],
    ['oom-kill', b.uid],
  ]);
});

test('exit 137 right after the kubelet killed the container is not an OOM kill; exit 1 never is', () => {
  const f = new Fixture();
  const pod = f.pod('batch', 'a');
  f.ev({ t: 0, component: 'kubelet', message: 'Killing container with a grace period', fields: { pod: 'batch/a', podUID: pod.uid }, about: [pod] });
  died(f, 2, pod, 137);
  const other = f.pod('batch', 'b');
  died(f, 2, other, 1);
  f.done();
  assert.deepEqual(detectIncidents(f.store, { rules: [oomKillRule] }).byKind, {});
});

test('oomCandidateSignals: every signal of the pods with an OOM kill or an exit 137, in their order; the other pods none', () => {
  const signal = (id: number, pod: string, tag: string): PodSignal => ({
    event: { id, time: id },
    host: undefined,
    pod: { kind: 'Pod', namespace: 'default', name: pod },
    object: undefined,
    role: 'trigger',
    tag,
    weight: 1,
  });
  const signals = [
    signal(1, 'a', 'exit'),
    signal(2, 'b', 'backoff'),
    signal(3, 'a', 'exit137'),
    signal(4, 'c', 'oom'),
    signal(5, 'b', 'exit'),
    signal(6, 'a', 'killed'),
  ];
  assert.deepEqual(
    oomCandidateSignals(signals).map((s) => s.event.id),
    [1, 3, 4, 6],
  );
  assert.deepEqual(oomCandidateSignals(signals.filter((s) => s.pod.name === 'b')), []);
});
