/**
 * Evidence ranked on real captures: what proves the incident comes first (the kubelet's exit and
 * back-off, the scheduler's FailedScheduling), the pods' context (the rollout, SuccessfulCreate)
 * last, and `ktrail incidents` shows each line with what makes it evidence.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatIncidents, listIncidents } from '../../../../src/cli/incidents.js';
import { ingestPaths } from '../../../../src/correlate/eval.js';
import { detectIncidents } from '../../../../src/correlate/incidents/index.js';
import { addEvidence, newCandidate } from '../../../../src/correlate/incidents/candidate.js';
import { podRuns, sharingStrings, triggersOf, type PodSignal } from '../../../../src/correlate/incidents/pod-incidents.js';
import type { ObjectRow } from '../../../../src/store/incident-view.js';
import { linkObjects } from '../../../../src/correlate/link.js';
import { evidenceRoleRank } from '../../../../src/store/store.js';
import { openStore } from '../../../../src/store/writer.js';
import { corpus, corpusSkip } from '../../../helpers/paths.js';

async function incidentsOf(path: string) {
  const store = openStore(':memory:');
  await ingestPaths(store, [path]);
  linkObjects(store.correlation);
  detectIncidents(store);
  const list = listIncidents(store, 10_000);
  store.close();
  return list;
}

/** Context: lines about the pods' owners and placement that prove nothing about the fault. */
const CONTEXT = /^(SuccessfulCreate|ScalingReplicaSet|Scheduled): /;

test('failure-cases: the unschedulable pod leads with FailedScheduling; the rollout that made it comes last', { skip: corpusSkip() }, async () => {
  const list = await incidentsOf(corpus('failure-cases'));
  const inc = list.find((i) => i.kind === 'unschedulable');
  assert.ok(inc, 'the unschedulable incident');
  const [first] = inc.evidence;
  assert.equal(first!.role, 'trigger');
  assert.match(first!.message, /^FailedScheduling: 0\/4 nodes are available/);
  assert.match(first!.facts, /^failed-scheduling/);
  const context = inc.evidence.filter((e) => CONTEXT.test(e.message));
  assert.ok(context.length >= 2, 'the capture has the rollout lines');
  for (const e of context) assert.equal(e.role, 'evidence', e.message);
  const lastProof = Math.max(...inc.evidence.map((e, i) => (CONTEXT.test(e.message) ? -1 : evidenceRoleRank(e.role) < evidenceRoleRank('evidence') ? i : -1)));
  const firstContext = inc.evidence.findIndex((e) => CONTEXT.test(e.message));
  assert.ok(firstContext > lastProof, `context at ${firstContext} before proof at ${lastProof}`);
  // The rollout is still the cause chain's story.
  const text = formatIncidents([inc], false);
  assert.match(text, /cause: ScalingReplicaSet: Scaled up replica set fifty-cpu-util-app-67dbbf6df9 to 4/);
  assert.match(text, /events\.log\.txt:\d+ trigger +event FailedScheduling: .*\[failed-scheduling/);
  // Summaries say which workload as the store knows it, and mark an owner only inferred from the
  // pod names (owners.ts's naming-pattern guess: no line said which ReplicaSet made those pods).
  const rejected = list.find((i) => i.kind === 'pod-rejected')!;
  assert.match(rejected.summary, /^66 pods of deployment\/default\/background-1 \(owner inferred from the pod names\) rejected by the kubelet of kind-worker2 in 25 s: OutOfcpu: Node didn't have enough resource: cpu, requested: 5000, used: 6700, capacity: 8000$/);
  const churn = list.find((i) => i.kind === 'eviction-churn')!;
  assert.match(churn.summary, /^the descheduler evicted 18 pods of deployment\/default\/nginx-deployment \(owner of \d+ of 18 inferred from the pod names\) in 16 min \(RemoveDuplicates\)$/);
});

test('OpenShift kubelet journal: the crash loop leads with the container exit and its code', { skip: corpusSkip() }, async () => {
  const [inc] = await incidentsOf(corpus('openshift-kubelet-journal'));
  assert.equal(inc!.kind, 'crashloop');
  const roles = inc!.evidence.map((e) => evidenceRoleRank(e.role));
  assert.deepEqual(roles, [...roles].sort((a, b) => a - b), 'evidence in role order');
  const first = inc!.evidence[0]!;
  assert.equal(first.role, 'trigger');
  assert.equal(first.component, 'kubelet');
  assert.equal(first.message, 'Generic (PLEG): container finished');
  assert.equal(first.facts, 'container-died exitCode=1');
  assert.ok(inc!.evidence.some((e) => e.role === 'trigger' && /^back-off-restarting backoffSeconds=20/.test(e.facts)));
});

test('triggersOf: the signals whose events are the incident\'s triggers, in the signals\' order, an event with two signals giving both', () => {
  const signal = (id: number, tag: string): PodSignal => ({
    event: { id, time: id },
    host: undefined,
    pod: { kind: 'Pod', namespace: 'default', name: 'web' },
    object: undefined,
    role: 'trigger',
    tag,
    weight: 1,
  });
  const signals = [signal(1, 'exit'), signal(2, 'backoff'), signal(3, 'exit'), signal(2, 'exit'), signal(4, 'backoff')];
  const c = newCandidate('crashloop', 'error', undefined, { kind: 'Pod', name: 'web' }, '');
  // Evidence in another order than the signals, with roles that are not triggers beside them.
  addEvidence(c, 4, 'trigger');
  addEvidence(c, 2, 'trigger');
  addEvidence(c, 1, 'evidence');
  addEvidence(c, 9, 'trigger');
  assert.deepEqual(
    triggersOf(c, signals).map((s) => `${s.event.id}:${s.tag}`),
    ['2:backoff', '2:exit', '4:backoff'],
  );
  addEvidence(c, 3, 'trigger'); // asked again after the incident grew: the same index, the new trigger
  assert.deepEqual(
    triggersOf(c, signals).map((s) => s.event.id),
    [2, 3, 2, 4],
  );
});

function podObject(id: number, name: string): ObjectRow {
  return { id, uid: `uid-${id}`, kind: 'Pod', namespace: 'default', name, firstSeen: 0, lastSeen: 0, deleted: null };
}

test('podRuns: one pod per stored object (else per pod as named), split by quiet gaps, ordered by start', () => {
  const a = podObject(1, 'a');
  const b = podObject(2, 'b');
  const signal = (id: number, time: number, object: ObjectRow | undefined, name = object?.name ?? 'x'): PodSignal => ({
    event: { id, time },
    host: undefined,
    pod: { kind: 'Pod', namespace: 'default', name },
    object,
    role: 'trigger',
    tag: 'exit',
    weight: 1,
  });
  const signals = [
    signal(1, 50, a),
    signal(2, 10, b),
    signal(3, 0, undefined, 'lost'),
    signal(4, 20, { ...a }), // another row of the same object: the same pod
    signal(5, 500, a), // after a quiet gap: a second run of a
    signal(6, 5, undefined, 'lost'),
  ];
  const runs = podRuns(signals, 100);
  assert.deepEqual(
    runs.map((r) => `${r.key} ${r.start}-${r.end} [${r.signals.map((s) => s.event.id).join(',')}]`),
    ['rpod/default/lost 0-5 [3,6]', 'o2 10-10 [2]', 'o1 20-50 [4,1]', 'o1 500-500 [5]'],
  );
  assert.equal(runs[2]!.object, signals[3]!.object, "a run's object is its first signal's in time");
  assert.equal(runs[3]!.object, a);
});

test("sharingStrings: a pod named exactly as its object is the object; else a copy with the object's equal strings", () => {
  const object = podObject(1, 'web');
  const uid = ['uid', '1'].join('-'); // equal to the object's, another copy
  assert.equal(sharingStrings({ kind: 'Pod', namespace: 'default', name: 'web', uid }, object), object);
  const noUid = { kind: 'Pod', namespace: 'default', name: 'web' };
  const shared = sharingStrings(noUid, object);
  assert.notEqual(shared, object, 'the line gave no UID: the reference says so');
  assert.deepEqual(shared, noUid);
  const withMore = { kind: 'Pod', namespace: 'default', name: 'web', uid, apiVersion: 'v1' } as never;
  assert.notEqual(sharingStrings(withMore, object), object, 'a field the object has not: kept as named');
  const bare = { kind: 'Pod', name: 'web' };
  assert.equal(sharingStrings(bare, undefined), bare);
});
