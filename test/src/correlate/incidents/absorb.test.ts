/**
 * Folding parts into their host incident: the first host of the fold's kind (in the order the rules
 * found them) that fits takes the part; candidates of other kinds never do.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { absorbIncidents } from '../../../../src/correlate/incidents/absorb.js';
import { addEvidence, newCandidate } from '../../../../src/correlate/incidents/candidate.js';
import type { Candidate, IncidentKind } from '../../../../src/correlate/incidents/types.js';
import type { ObjectRow, StoreView } from '../../../../src/store/incident-view.js';

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
  const view = {} as StoreView;
  const a = pod(1);
  const b = pod(2);
  const otherPod = candidate('crashloop', b, 0, 10 * SECOND, 1);
  const sameKindElsewhere = candidate('oom-kill', a, 500 * SECOND, 510 * SECOND, 2);
  const first = candidate('crashloop', a, 0, 10 * SECOND, 3);
  const second = candidate('crashloop', a, 5 * SECOND, 20 * SECOND, 4);
  const probe = candidate('probe-failure', a, 15 * SECOND, 30 * SECOND, 5);
  const lonely = candidate('probe-failure', b, 900 * SECOND, 910 * SECOND, 6);
  const { kept, absorbed } = absorbIncidents(view, [otherPod, sameKindElsewhere, first, second, probe, lonely]);
  assert.equal(absorbed, 1);
  assert.deepEqual(kept, [otherPod, sameKindElsewhere, first, second, lonely]);
  assert.equal(first.evidence.get(5), 'effect', "the part's trigger is an effect of the host");
  assert.equal(first.end, 30 * SECOND);
  assert.deepEqual(first.absorbed.map((p) => p.kind), ['probe-failure']);
  assert.equal(second.evidence.has(5), false, 'only the first host that fits takes it');
});
