/** Object reads: by UID and name, an object's timeline with what it owns, its owners, roots, links. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveNewest, resolveObjectRef } from '../../../src/correlate/resolve-ref.js';
import { TIMELINE_LINKS_SQL } from '../../../src/store/objects.js';
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
    INSERT INTO event_objects (event_id, object_id, via, confidence) VALUES (1, 1, 'uid', 1), (2, 3, 'uid', 1), (3, 4, 'name', 0.95),
                                     (3, 5, 'name', 0.95), (4, 3, 'name-nearest', 0.3), (5, 4, 'emitter', 0.4);
    UPDATE event_objects SET time = (SELECT e.time FROM events e WHERE e.id = event_objects.event_id);`);
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

test('a name many objects had: the newest few from the index, their count and span; the two-part forms decided by counts', () => {
  const store = storeWith([{ time: 0, message: 'x' }]);
  // Out of id order, with a tie at the newest time and one never seen at a time.
  const rows = [
    [1, 5], [2, null], [3, 9], [4, 6], [5, 7], [6, 9], [7, 8],
  ].map(([id, seen]) => `(${id}, 'u-${id}', 'Pod', 'default', 'web-1', ${seen === null ? 'NULL' : at(seen as number)})`);
  store.db.exec(`INSERT INTO objects (id, uid, kind, namespace, name, first_seen) VALUES ${rows.join(', ')},
    (8, 'r-1', 'ReplicaSet', 'default', 'web-1', ${at(1)}), (9, 'r-2', 'ReplicaSet', 'other', 'rs', ${at(1)})`);
  const ids = (found: { id: number }[]) => found.map((o) => o.id);

  const all = resolveNewest(store.objects, 'pod/default/web-1', Infinity);
  assert.deepEqual(ids(all.objects), [2, 1, 4, 5, 7, 3, 6], 'every one, oldest first (never seen first), ties by id');
  assert.deepEqual([all.count, all.firstSeen, all.lastSeen], [7, at(5), at(9)]);
  const newest = resolveNewest(store.objects, 'pod/default/web-1', 3);
  assert.deepEqual(ids(newest.objects), [7, 3, 6], 'the last three of that order');
  assert.deepEqual([newest.count, newest.firstSeen, newest.lastSeen], [7, at(5), at(9)], 'counted over all of them');
  assert.deepEqual(ids(resolveNewest(store.objects, 'pod/default/web-1', 7).objects), ids(all.objects), 'no fewer when exactly that many');

  assert.deepEqual(ids(resolveObjectRef(store.objects, 'default/web-1')), [2, 1, 4, 5, 7, 3, 6], 'ns/name: the pods when there are any');
  assert.deepEqual(ids(resolveNewest(store.objects, 'default/web-1', 2).objects), [3, 6]);
  assert.deepEqual(ids(resolveObjectRef(store.objects, 'other/rs')), [9], 'ns/name: any kind when no pod has it');
  assert.deepEqual(ids(resolveObjectRef(store.objects, 'replicaset/web-1')), [8], 'kind/name first: any namespace');
  assert.deepEqual(resolveNewest(store.objects, 'pod/default/none', 10), { objects: [], count: 0, firstSeen: null, lastSeen: null });
  assert.deepEqual(store.objects.countByName('Pod', 'default', 'web-1'), { count: 7, firstSeen: at(5), lastSeen: at(9) });
  store.close();
});

test('the name reads use the indexes that end in first_seen: counts from index entries, the newest from its end', () => {
  const store = storeWith([{ time: 0, message: 'x' }]);
  const plan = (sql: string, ...params: unknown[]) =>
    (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join('; ');
  const count = plan(`SELECT count(*), min(first_seen), max(first_seen) FROM objects o INDEXED BY objects_kind_ns_name_seen WHERE o.kind = ? COLLATE NOCASE AND o.namespace = ? AND o.name = ?`, 'Pod', 'default', 'web-1');
  assert.match(count, /COVERING INDEX objects_kind_ns_name_seen/);
  const kindOnly = plan(`SELECT count(*), min(first_seen) FROM objects o INDEXED BY objects_name_kind_seen WHERE o.name = ? AND o.kind = ? COLLATE NOCASE`, 'web-1', 'default');
  assert.match(kindOnly, /COVERING INDEX objects_name_kind_seen \(name=\? AND kind=\?\)/);
  const newest = plan(`SELECT id FROM objects o INDEXED BY objects_kind_ns_name_seen WHERE o.kind = ? COLLATE NOCASE AND o.namespace = ? AND o.name = ? ORDER BY o.first_seen DESC, o.id DESC LIMIT 10`, 'Pod', 'default', 'web-1');
  assert.doesNotMatch(newest, /TEMP B-TREE/, 'no sort: read from the end of the index');
  store.close();
});

test("a timeline is in its events' time order, not their ids', and a limit keeps the earliest", () => {
  // Stored out of time order (a second file read later, say): ids 1-3 are times 30, 10, 20.
  const store = storeWith([
    { time: 30, message: 'third' },
    { time: 10, message: 'first' },
    { time: 20, message: 'second' },
  ]);
  store.db.exec(`INSERT INTO objects (id, uid, kind, namespace, name, first_seen) VALUES (1, 'p-1', 'Pod', 'default', 'web-1', ${at(10)});
    INSERT INTO event_objects (event_id, object_id, via, confidence, time) VALUES (1, 1, 'uid', 1, ${at(30)}), (2, 1, 'uid', 1, ${at(10)}), (3, 1, 'uid', 1, ${at(20)});`);
  const root = store.objects.byId(1)!;
  assert.deepEqual(store.objects.timeline(root).steps.map((s) => s.eventId), [2, 3, 1]);
  assert.deepEqual(store.objects.timeline(root).steps.map((s) => s.sincePrevious), [0, 10_000_000, 10_000_000]);
  assert.deepEqual(store.objects.timeline(root, { limit: 2 }).steps.map((s) => s.eventId), [2, 3]);
  store.close();
});

test("an object's links are read from the covering index alone: no link row, no event row", () => {
  const store = storeWith([{ time: 0, message: 'x' }]);
  const plan = (store.db.prepare(`EXPLAIN QUERY PLAN ${TIMELINE_LINKS_SQL}`).all('[1, 2]', 0.5, 10) as { detail: string }[]).map((r) => r.detail).join('; ');
  assert.match(plan, /SEARCH eo USING COVERING INDEX event_objects_object_time \(object_id=\?\)/);
  assert.doesNotMatch(plan, /\bevents\b|SCAN eo/);
  store.close();
});
