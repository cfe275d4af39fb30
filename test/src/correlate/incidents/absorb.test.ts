/**
 * Folding parts into their host incident: the first host of the fold's kind (in the order the rules
 * found them) that fits takes the part; candidates of other kinds never do.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { absorbIncidents, foldingKinds } from '../../../../src/correlate/incidents/absorb.js';
import { addEvidence, newCandidate } from '../../../../src/correlate/incidents/candidate.js';
import type { Candidate, IncidentKind } from '../../../../src/correlate/incidents/types.js';
import type { ObjectRow } from '../../../../src/store/incident-view.js';

const SECOND = 1_000_000;

function pod(id: number): ObjectRow {
  return { id, uid: `u${id}`, kind: 'Pod', namespace: 'default', name: `web-${id}`, firstSeen: 0, lastSeen: 0, deleted: null };
}

function candidate(kind: IncidentKind, root: ObjectRow, start: number, end: number, eventId: number): Candidate {
  const c = newCandidate(kind, 'error', root, { kind: 'Pod', name: root.name }, kind);
  c.start = start;
  c.end = end;
  addEvidence(c, eventId, 'trigger');
  return c;
}

test('absorbIncidents: a probe failure goes into the first crash loop of its pod, never into another kind or another pod', () => {
  const a = pod(1);
  const b = pod(2);
  const otherPod = candidate('crashloop', b, 0, 10 * SECOND, 1);
  const sameKindElsewhere = candidate('oom-kill', a, 500 * SECOND, 510 * SECOND, 2);
  const first = candidate('crashloop', a, 0, 10 * SECOND, 3);
  const second = candidate('crashloop', a, 5 * SECOND, 20 * SECOND, 4);
  const probe = candidate('probe-failure', a, 15 * SECOND, 30 * SECOND, 5);
  const lonely = candidate('probe-failure', b, 900 * SECOND, 910 * SECOND, 6);
  const { kept, absorbed } = absorbIncidents([otherPod, sameKindElsewhere, first, second, probe, lonely]);
  assert.equal(absorbed, 1);
  assert.deepEqual(kept, [otherPod, sameKindElsewhere, first, second, lonely]);
  assert.equal(first.evidence.get(5), 'effect', "the part's trigger is an effect of the host");
  assert.equal(first.end, 30 * SECOND);
  assert.deepEqual(first.absorbed.map((p) => p.kind), ['probe-failure']);
  assert.equal(second.evidence.has(5), false, 'only the first host that fits takes it');
});

test('foldingKinds: a fold counts only when its host kind and one of its part kinds are both found', () => {
  const found = (...kinds: IncidentKind[]) => [...foldingKinds(new Set(kinds))].sort();
  // Crash loops alone (the 1M-event bench's 125k): no fold acts, nothing is loaded.
  assert.deepEqual(found('crashloop', 'etcd-slow-request', 'unschedulable'), []);
  assert.deepEqual(found('crashloop', 'probe-failure', 'unschedulable'), ['crashloop', 'probe-failure']);
  assert.deepEqual(found('crashloop', 'leader-election-lost'), ['crashloop', 'leader-election-lost']);
  assert.deepEqual(found('etcd-leader-loss', 'apiserver-5xx', 'eviction'), ['apiserver-5xx', 'etcd-leader-loss']);
  assert.deepEqual(found('node-not-ready', 'eviction', 'probe-failure'), ['eviction', 'node-not-ready', 'probe-failure']);
});

test('absorbing only the foldingKinds gives what absorbing every candidate gives', () => {
  const a = pod(1);
  const make = (): Candidate[] => [
    candidate('unschedulable', a, 0, 10 * SECOND, 1),
    candidate('crashloop', a, 0, 10 * SECOND, 2),
    candidate('etcd-slow-request', a, 0, 10 * SECOND, 3),
    candidate('probe-failure', a, 5 * SECOND, 20 * SECOND, 4),
    candidate('eviction', a, 5 * SECOND, 20 * SECOND, 5),
  ];
  const all = make();
  const whole = absorbIncidents(all);
  const some = make();
  const kinds = foldingKinds(new Set(some.map((c) => c.kind)));
  const part = absorbIncidents(some.filter((c) => kinds.has(c.kind)));
  assert.equal(part.absorbed, whole.absorbed);
  assert.equal(whole.absorbed, 1);
  assert.deepEqual(
    some.filter((c) => !kinds.has(c.kind) || part.kept.includes(c)),
    all.filter((c) => whole.kept.includes(c)).map((c) => some[all.indexOf(c)]),
  );
  assert.deepEqual(some[1], all[1], 'the crash loop took the probe failure either way');
});
