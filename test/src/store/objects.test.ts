/** Object reads: by UID and name, an object's timeline with what it owns, its owners, roots, links. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveObjectRef } from '../../../src/correlate/resolve-ref.js';
import { at, storeWith } from '../../helpers/store.js';

function withObjects() {
  const store = storeWith([
    { time: 0, message: 'deployment scaled' },
    { time: 1, message: 'pod a started' },
    { time: 2, message: 'pod b started' },
    { time: 3, message: 'a guess about pod a' },
    { time: 4, message: 'written by pod b' },
  ]);
  store.db.exec(`
    INSERT INTO objects (id, uid, kind, namespace, name, first_seen) VALUES
      (1, 'd-1', 'Deployment', 'default', 'web', ${at(0)}),
      (2, 'r-1', 'ReplicaSet', 'default', 'web-7d9f8b', ${at(0)}),
      (3, 'p-a', 'Pod', 'default', 'web-7d9f8b-aaaaa', ${at(1)}),
      (4, 'p-b', 'Pod', 'default', 'web-7d9f8b-bbbbb', ${at(2)}),
      (5, NULL, 'Node', NULL, 'worker-1', ${at(0)});
    INSERT INTO owners VALUES (1, 2, 'scaled-by', 0.95), (2, 3, 'audit', 1), (2, 4, 'name-pattern', 0.4);
    INSERT INTO event_objects VALUES (1, 1, 'uid', 1), (2, 3, 'uid', 1), (3, 4, 'name', 0.95), (3, 5, 'name', 0.95),
                                     (4, 3, 'name-nearest', 0.3), (5, 4, 'emitter', 0.4);`);
  return store;
}

test('resolving what a user typed: uid, kind/ns/name, ns/name (pods first), node name', () => {
  const store = withObjects();
  const ids = (ref: string) => resolveObjectRef(store.objects, ref).map((o) => o.id);
  assert.deepEqual(ids('pod/default/web-7d9f8b-aaaaa'), [3]);
  assert.deepEqual(ids('POD/default/web-7d9f8b-aaaaa'), [3], 'kinds compare without case');
  assert.deepEqual(ids('default/web-7d9f8b'), [2]);
  assert.deepEqual(ids('node/worker-1'), [5]);
  assert.deepEqual(ids('worker-1'), [5]);
  assert.deepEqual(store.objects.byUid('p-b').map((o) => o.name), ['web-7d9f8b-bbbbb']);
  store.close();
});

test('a timeline holds what the root owns, weak links left out but emitters kept, with gaps', () => {
  const store = withObjects();
  const t = store.objects.timeline(store.objects.byId(1)!);
  assert.deepEqual(t.objects.map((o) => [o.id, o.depth]), [[1, 0], [2, 1], [3, 2], [4, 2]]);
  assert.equal(t.objects.find((o) => o.id === 4)!.ownerVia, 'name-pattern');
  assert.deepEqual(t.steps.map((s) => s.eventId), [1, 2, 3, 5], 'the 0.3 guess is not a step; the emitter is');
  assert.deepEqual(t.steps.map((s) => s.sincePrevious), [0, 1_000_000, 1_000_000, 2_000_000]);
  assert.deepEqual(store.objects.timeline(store.objects.byId(1)!, { limit: 2 }).steps.length, 2);
  store.close();
});

test('timelines of several roots at once: each as its own timeline, with a limit per root', () => {
  const store = withObjects();
  const roots = [1, 3, 4, 5, 2].map((id) => store.objects.byId(id)!);
  for (const opts of [{}, { limit: 2 }, { limit: 1 }, { minConfidence: 0.2 }]) {
    const one = roots.map((r) => store.objects.timeline(r, opts));
    assert.deepEqual(store.objects.timelines(roots, opts), one, JSON.stringify(opts));
  }
  // Overlapping roots (the deployment owns both pods) share rows without losing any.
  assert.deepEqual(store.objects.timelines(roots).map((t) => t.steps.length), [4, 1, 2, 1, 3]);
  assert.deepEqual(store.objects.timelines([]), []);
  store.close();
});

test('owners nearest first; edges among a set; roots; links of events', () => {
  const store = withObjects();
  assert.deepEqual(store.objects.ownerChain(3).map((o) => o.id), [2, 1]);
  assert.deepEqual(
    store.objects.ownerEdgesAmong([1, 2, 3]).map((e) => [e.ownerId, e.ownedId]).sort(),
    [[1, 2], [2, 3]],
  );
  assert.deepEqual(store.objects.roots(['Deployment', 'ReplicaSet', 'Pod']).map((o) => o.id), [1]);
  assert.deepEqual(store.objects.linksOf(3).map((l) => [l.id, l.via]), [[4, 'name'], [5, 'name']]);
  assert.deepEqual([...store.objects.linksOfEvents([1, 4]).keys()], [1, 4]);
  assert.equal([...store.objects.allLinks(0.5)].length, 4);
  assert.deepEqual(store.objects.uids().sort(), ['d-1', 'p-a', 'p-b', 'r-1']);
  assert.equal(store.objects.count(), 5);
  store.close();
});
