import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ClusterScope } from '../../../src/store/cluster-scope.js';
import { refsPageSql } from '../../../src/store/correlation.js';
import { createWriter, openStore } from '../../../src/store/writer.js';
import { makeEvent } from './synthetic.js';

/** A store of `n` events, every third naming a pod by UID, every event naming its node by name. */
function store(n: number) {
  const s = openStore(':memory:');
  const w = createWriter(s);
  const src = w.beginSource({ cluster: '', path: '/a.log', display: 'a.log', fingerprint: 'f', size: 1, mtime: 1 });
  const events = Array.from({ length: n }, (_, i) =>
    makeEvent({
      seq: i + 1,
      objects: [
        { kind: 'Node', name: 'worker-1', via: 'path' },
        ...(i % 3 === 0 ? [{ kind: 'Pod', namespace: 'default', name: `web-${i}`, uid: `uid-${i}`, via: 'field' as const, key: 'pod' }] : []),
      ],
    }),
  );
  w.addEvents(src.id, events);
  w.completeSource(src.id);
  w.close();
  return s;
}

test('refsInEventOrder streams every reference in (event, position) order across pages of events', () => {
  // More events than one page (20,000), so the paging is crossed.
  const s = store(40_001);
  const all = [...s.correlation.refsInEventOrder()];
  assert.equal(all.length, 40_001 + Math.ceil(40_001 / 3));
  for (let i = 1; i < all.length; i++) {
    const [a, b] = [all[i - 1]!, all[i]!];
    assert.ok(a.event_id < b.event_id || (a.event_id === b.event_id && a.kind === 'Node' && b.kind === 'Pod'), `order at ${i}`);
  }
  assert.deepEqual([all[0]!.event_id, all[all.length - 1]!.event_id], [1, 40_001]);
  s.close();
});

test('uidSightings: one row per UID and naming, in the order of the first reference, with the times of the first and last', () => {
  const s = openStore(':memory:');
  const w = createWriter(s);
  const src = w.beginSource({ cluster: '', path: '/a.log', display: 'a.log', fingerprint: 'f', size: 1, mtime: 1 });
  const ref = (uid: string, name?: string, namespace?: string) => ({ kind: 'Pod', uid, via: 'field' as const, ...(name ? { name } : {}), ...(namespace ? { namespace } : {}) });
  w.addEvents(src.id, [
    // u2's first reference is the second of the first event: after u1's, before everything of event 2.
    makeEvent({ seq: 1, time: 5_000_000, objects: [ref('u1'), ref('u2', 'b', 'ns')] }),
    makeEvent({ seq: 2, time: 1_000_000, objects: [ref('u1', 'a', 'ns')] }),
    makeEvent({ seq: 3, time: 9_000_000, objects: [ref('u1'), ref('u3', 'c')] }),
  ]);
  w.completeSource(src.id);
  w.close();
  const rows = [...s.correlation.uidSightings()].map(({ uid, name, namespace, first, last }) => ({ uid, name, namespace, first, last }));
  assert.deepEqual(rows, [
    { uid: 'u1', name: null, namespace: null, first: 5_000_000, last: 9_000_000 },
    { uid: 'u2', name: 'b', namespace: 'ns', first: 5_000_000, last: 5_000_000 },
    { uid: 'u1', name: 'a', namespace: 'ns', first: 1_000_000, last: 1_000_000 },
    { uid: 'u3', name: 'c', namespace: null, first: 9_000_000, last: 9_000_000 },
  ]);
  s.close();
});

test('rebuild writes queued links before a read of the links and before it commits, and builds their index again', () => {
  const s = openStore(':memory:');
  const w = createWriter(s);
  const src = w.beginSource({ cluster: '', path: '/a.log', display: 'a.log', fingerprint: 'f', size: 1, mtime: 1 });
  w.addEvents(src.id, [
    makeEvent({ seq: 1, component: 'audit', fields: { code: 503 } }),
    makeEvent({ seq: 2, component: 'audit', fields: { code: 200 } }),
  ]);
  w.completeSource(src.id);
  w.close();
  const timeOf = (id: number): number => s.db.prepare('SELECT time FROM events WHERE id = ?').pluck().get(id) as number;
  let seenInside: { time: number; objectId: number }[] = [];
  s.correlation.rebuild((cw) => {
    cw.insertObject({ id: 1, cluster: '', uid: 'u', kind: 'Pod', namespace: 'default', name: 'web', first: 0, last: 0, deleted: null });
    cw.insertLink(1, timeOf(1), 1, 'uid', 1);
    cw.insertLink(2, timeOf(2), 1, 'uid', 1);
    cw.insertLink(2, timeOf(2), 1, 'name', 0.9); // the same link again: ignored
    seenInside = s.correlation.failedRequestObjects(0.5);
  });
  assert.deepEqual(seenInside.map((r) => r.objectId), [1]);
  assert.equal(s.db.prepare('SELECT count(*) FROM event_objects').pluck().get(), 2);
  assert.deepEqual(s.db.prepare(`SELECT via, time FROM event_objects WHERE event_id = 2`).get(), { via: 'uid', time: timeOf(2) });
  assert.ok(s.db.prepare(`SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = 'event_objects_object_time'`).get());
  // A rebuild that fails leaves the previous correlation, index included, and checks foreign keys
  // again after it as before it (they are off while it runs).
  assert.throws(
    () =>
      s.correlation.rebuild((cw) => {
        cw.insertLink(1, timeOf(1), 1, 'name', 0.9);
        throw new Error('the linker failed');
      }),
    /the linker failed/,
  );
  assert.equal(s.db.prepare('SELECT count(*) FROM event_objects').pluck().get(), 2);
  assert.deepEqual(s.db.prepare(`SELECT via FROM event_objects WHERE event_id = 1`).pluck().get(), 'uid');
  assert.ok(s.db.prepare(`SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = 'event_objects_object_time'`).get());
  assert.equal(s.db.pragma('foreign_keys', { simple: true }), 1);
  s.close();
});

test('a rebuild clears the previous pass whole and writes the new one, with foreign keys on again after it', () => {
  const s = openStore(':memory:');
  const w = createWriter(s);
  const src = w.beginSource({ cluster: '', path: '/a.log', display: 'a.log', fingerprint: 'f', size: 1, mtime: 1 });
  w.addEvents(src.id, [makeEvent({ seq: 1 }), makeEvent({ seq: 2 })]);
  w.completeSource(src.id);
  w.close();
  const object = (id: number, uid: string) => ({ id, cluster: '', uid, kind: 'Pod', namespace: 'default', name: uid, first: 0, last: 0, deleted: null });
  s.correlation.rebuild((cw) => {
    for (const id of [1, 2, 3]) cw.insertObject(object(id, `u${id}`));
    cw.insertLink(1, 0, 1, 'uid', 1);
    cw.insertLink(2, 0, 3, 'uid', 1);
    cw.upsertOwner(1, 2, 'audit', 1);
  });
  s.correlation.rebuild((cw) => {
    cw.insertObject(object(1, 'v1'));
    cw.insertLink(2, 0, 1, 'name', 0.9);
  });
  assert.deepEqual(s.db.prepare('SELECT id, uid FROM objects').raw().all(), [[1, 'v1']]);
  assert.deepEqual(s.db.prepare('SELECT event_id, object_id, via FROM event_objects').raw().all(), [[2, 1, 'name']]);
  assert.equal(s.db.prepare('SELECT count(*) FROM owners').pluck().get(), 0);
  assert.equal(s.db.pragma('foreign_keys', { simple: true }), 1);
  assert.deepEqual(s.db.pragma('foreign_key_check'), [], 'what the linker wrote holds');
  s.close();
});

test("a rebuild makes the links' and objects' indexes again exactly as the schema has them, the unique one checking every object", () => {
  const s = openStore(':memory:');
  const indexes = () =>
    s.db.prepare(`SELECT tbl_name, name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name IN ('objects', 'event_objects') ORDER BY name`).all() as { tbl_name: string }[];
  const before = indexes();
  assert.equal(before.filter((i) => i.tbl_name === 'objects').length, 4, 'uid, cluster and uid, kind and name, name and kind');
  assert.equal(before.filter((i) => i.tbl_name === 'event_objects').length, 1, 'the covering object index (the key is the table itself)');
  const object = (id: number, uid: string) => ({ id, cluster: '', uid, kind: 'Pod', namespace: 'default', name: `p${id}`, first: 0, last: 0, deleted: null });
  s.correlation.rebuild((cw) => {
    cw.insertObject(object(1, 'u1'));
    cw.insertObject(object(2, 'u2'));
  });
  assert.deepEqual(indexes(), before);
  assert.deepEqual(s.objects.byUid('u2').map((o) => o.id), [2], 'read through the index made again');
  assert.throws(() =>
    s.correlation.rebuild((cw) => {
      cw.insertObject(object(1, 'u1'));
      cw.insertObject(object(2, 'u1')); // one UID, two objects in one cluster
    }),
  /UNIQUE/);
  assert.deepEqual(indexes(), before, 'a failed rebuild leaves them as they were');
  assert.deepEqual(s.db.prepare('SELECT id, uid FROM objects ORDER BY id').raw().all(), [[1, 'u1'], [2, 'u2']]);
  s.close();
});

test("a page of refs is a range of events' ids, each event's refs a look-up in event_refs' key, never a sort", () => {
  const s = store(10);
  for (const scope of [ClusterScope.ALL, new ClusterScope('')]) {
    const plan = (s.db.prepare(`EXPLAIN QUERY PLAN ${refsPageSql(scope)}`).all(0, 10, scope.params) as { detail: string }[]).map((r) => r.detail);
    assert.match(plan[0]!, /^SEARCH e USING INTEGER PRIMARY KEY \(rowid>\? AND rowid<\?\)/, plan.join('; '));
    assert.match(plan[1]!, /^SEARCH r USING PRIMARY KEY \(event_id=\?\)/, plan.join('; '));
    assert.ok(!plan.some((d) => /TEMP B-TREE|events_cluster_time/.test(d)), plan.join('; '));
  }
  s.close();
});

test('ownershipEvents gives each ownership event once with all its refs in order, in (time, id) order across statements of 1,000', () => {
  const s = openStore(':memory:');
  const w = createWriter(s);
  const src = w.beginSource({ cluster: '', path: '/a.log', display: 'a.log', fingerprint: 'f', size: 1, mtime: 1 });
  const n = 2_001;
  // Written in reverse time order, so that id order is not time order; every other event is not
  // about ownership; each ownership event has its owner reference between two others.
  w.addEvents(
    src.id,
    Array.from({ length: 2 * n }, (_, i) =>
      makeEvent({
        seq: i + 1,
        time: 10_000_000_000 - Math.floor(i / 2) * 1000,
        message: `m${i}`,
        objects:
          i % 2
            ? [{ kind: 'Pod', namespace: 'default', name: `p${i}`, via: 'field' as const, key: 'pod' }]
            : [
                { kind: 'Pod', namespace: 'default', name: `p${i}`, via: 'audit' as const, key: 'objectRef' },
                { kind: 'ReplicaSet', namespace: 'default', name: `rs${i}`, uid: `u${i}`, via: 'audit' as const, key: 'ownerReferences' },
                { kind: 'Node', name: 'worker-1', via: 'path' as const },
              ],
      }),
    ),
  );
  w.completeSource(src.id);
  w.close();
  const groups = [...s.correlation.ownershipEvents()];
  assert.equal(groups.length, n);
  assert.deepEqual(
    groups.map((g) => g.map((r) => r.key ?? r.kind).join(',')),
    groups.map(() => 'objectRef,ownerReferences,Node'),
  );
  // Latest written first: the earliest time is the last pair's even event.
  assert.deepEqual(
    groups.map((g) => g[0]!.message),
    Array.from({ length: n }, (_, k) => `m${2 * (n - 1 - k)}`),
  );
  assert.ok(groups.every((g) => g.every((r) => r.event_id === g[0]!.event_id && r.time === g[0]!.time)));
  s.close();
});
