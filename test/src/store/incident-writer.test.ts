/**
 * The incident write (src/store/incident-writer.ts): a cause-chain step that is an incident of
 * its own points at it, whichever of the two is written first, and only a step of an incident
 * kind does (the writer keeps what that needs for those incidents alone).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SIGNAL_REGISTRY } from '../../../src/signals/index.js';
import { crashloopRule } from '../../../src/correlate/incidents/rules/crashloop.js';
import { newCandidate } from '../../../src/correlate/incidents/candidate.js';
import { crashing, incidents } from '../correlate/incidents/fixture.js';

test('cause-chain steps of an incident kind point at that incident, written before or after it; other steps do not', () => {
  const { f } = crashing();
  const detection = f.store.detection;
  detection.computeSignals(SIGNAL_REGISTRY);
  const [loop] = crashloopRule.detect(detection.view(0.5));
  assert.ok(loop?.root?.uid, 'the crash loop is rooted at a pod with a UID');
  const uid = loop.root.uid;
  const step = (kind: string, objectUid: string | null) => ({ kind, objectUid, object: 'pod/shop/checkout-1', time: loop.start, summary: kind });
  // Written before the crash loop (its id is not known yet when this one is written)...
  const before = newCandidate('node-not-ready', 'error', undefined, { kind: 'Node', name: 'n1' }, 'before');
  before.causeChain.push(step('crashloop', uid), step('created-by', uid), step('oom-kill', uid), step('crashloop', null));
  // ...and after it.
  const after = newCandidate('eviction', 'warn', undefined, { kind: 'Pod', name: 'x' }, 'after');
  after.causeChain.push(step('crashloop', uid));
  const plain = newCandidate('eviction', 'warn', undefined, { kind: 'Pod', name: 'y' }, 'plain');
  plain.causeChain.push(step('rollout', uid));
  detection.replaceIncidents([{ cluster: '', candidates: [before, loop, after, plain] }], 10);

  const rows = incidents(f.db);
  const loopId = rows.find((r) => r.kind === 'crashloop')!.id;
  const chain = (summary: string) => rows.find((r) => r.summary === summary)!.details.causeChain;
  assert.deepEqual(chain('before').map((s) => [s.kind, s.incidentId]), [
    ['crashloop', loopId],
    ['created-by', undefined],
    ['oom-kill', undefined],
    ['crashloop', undefined],
  ]);
  assert.deepEqual(chain('after').map((s) => s.incidentId), [loopId]);
  assert.deepEqual(chain('plain').map((s) => s.incidentId), [undefined]);
});
