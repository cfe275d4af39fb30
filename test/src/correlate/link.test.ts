import { test } from 'node:test';
import assert from 'node:assert/strict';
import { linkObjects, normalizeContainerId, ObjectIndex } from '../../../src/correlate/link.js';
import type { ObjectRef } from '../../../src/model/event.js';
import { at, linksWithWrongTime, storeWith } from '../../helpers/store.js';

const pod = (name: string, uid?: string, extra: Partial<ObjectRef> = {}): ObjectRef => ({
  kind: 'Pod',
  namespace: 'default',
  name,
  ...(uid ? { uid } : {}),
  via: 'field',
  key: 'pod',
  ...extra,
});

type Link = { event: string; uid: string | null; name: string | null; via: string; confidence: number };

function links(db: import('better-sqlite3').Database): Link[] {
  assert.equal(linksWithWrongTime(db), 0, "every link holds its event's time");
  return db
    .prepare(
      `SELECT e.message AS event, o.uid, o.name, eo.via, eo.confidence FROM event_objects eo
       JOIN objects o ON o.id = eo.object_id JOIN events e ON e.id = eo.event_id ORDER BY e.time, o.id`,
    )
    .all() as Link[];
}

test('a reused name maps to the UID whose lifetime holds the event', () => {
  const store = storeWith([
    { time: 0, message: 'first web-1 created', objects: [pod('web-1', 'uid-a')] },
    { time: 10, message: 'name only, first life', objects: [pod('web-1')] },
    { time: 2000, message: 'second web-1 created', objects: [pod('web-1', 'uid-b')] },
    { time: 2010, message: 'name only, second life', objects: [pod('web-1')] },
    { time: 9000, message: 'long after both', objects: [pod('web-1')] },
  ]);
  const summary = linkObjects(store.correlation);
  assert.equal(summary.objects, 2);
  assert.deepEqual(
    links(store.db).map((l) => [l.event, l.uid, l.via]),
    [
      ['first web-1 created', 'uid-a', 'uid'],
      ['name only, first life', 'uid-a', 'name'],
      ['second web-1 created', 'uid-b', 'uid'],
      ['name only, second life', 'uid-b', 'name'],
      ['long after both', 'uid-b', 'name-nearest'],
    ],
  );
  const conf = links(store.db).find((l) => l.event === 'long after both')!.confidence;
  assert.ok(conf < 0.95 && conf >= 0.5);
  store.close();
});

test('names never seen with a UID become name-only objects; collections link to nothing', () => {
  const store = storeWith([
    { time: 0, message: 'lease renewed', objects: [{ kind: 'Lease', namespace: 'kube-node-lease', name: 'n1', via: 'audit', key: 'objectRef' }] },
    { time: 1, message: 'again', objects: [{ kind: 'Lease', namespace: 'kube-node-lease', name: 'n1', via: 'uri', key: 'URI' }] },
    { time: 2, message: 'list pods', objects: [{ kind: 'Pod', namespace: 'default', via: 'audit', key: 'objectRef' }] },
  ]);
  linkObjects(store.correlation);
  const l = links(store.db);
  assert.equal(l.length, 2);
  assert.equal(new Set(l.map((x) => x.name)).size, 1);
  assert.deepEqual(l.map((x) => x.uid), [null, null]);
  store.close();
});

test('container IDs seen beside a pod UID link later lines that name only the container', () => {
  const cid = 'containerd://' + 'ab12'.repeat(16);
  const store = storeWith([
    { time: 0, message: 'container started', fields: { containerID: cid }, objects: [pod('web-1', 'uid-a')] },
    { time: 5, message: 'container exited', fields: { containerID: cid } },
  ]);
  linkObjects(store.correlation);
  assert.deepEqual(
    links(store.db).map((l) => [l.event, l.uid, l.via]),
    [
      ['container started', 'uid-a', 'uid'],
      ['container exited', 'uid-a', 'container-id'],
    ],
  );
  assert.equal(normalizeContainerId('cri-o://' + 'f'.repeat(64)), 'f'.repeat(64));
  assert.equal(normalizeContainerId('not an id'), undefined);
  store.close();
});

test('the emitting pod is linked weakly; a namespace-less name resolves when one namespace fits', () => {
  const store = storeWith([
    { time: 0, message: 'coredns pod created', objects: [{ kind: 'Pod', namespace: 'kube-system', name: 'coredns-1', uid: 'uid-c', via: 'audit' }] },
    {
      time: 1,
      component: 'coredns',
      message: 'query',
      objects: [{ kind: 'Pod', namespace: 'kube-system', name: 'coredns-1', uid: 'uid-c', via: 'path', key: 'emitter' }],
    },
    { time: 2, message: 'kubectl --prefix line', objects: [{ kind: 'Pod', name: 'coredns-1', via: 'envelope' }] },
  ]);
  linkObjects(store.correlation);
  const l = links(store.db);
  assert.deepEqual(
    l.map((x) => [x.event, x.uid, x.via]),
    [
      ['coredns pod created', 'uid-c', 'uid'],
      ['query', 'uid-c', 'emitter'],
      ['kubectl --prefix line', 'uid-c', 'name'],
    ],
  );
  assert.ok(l[1]!.confidence < 0.5, 'the writer is not what a line is about');
  store.close();
});

test('a namespace-less name that two namespaces hold, or that no object of its kind has, makes a name-only object', () => {
  const store = storeWith([
    { time: 0, message: 'a', objects: [{ kind: 'Pod', namespace: 'ns1', name: 'web', uid: 'uid-1', via: 'audit' }] },
    { time: 0, message: 'b', objects: [{ kind: 'Pod', namespace: 'ns2', name: 'web', uid: 'uid-2', via: 'audit' }] },
    { time: 0, message: 'c', objects: [{ kind: 'Service', namespace: 'ns1', name: 'api', uid: 'uid-3', via: 'audit' }] },
    { time: 1, message: 'two fit', objects: [{ kind: 'Pod', name: 'web', via: 'envelope' }] },
    { time: 1, message: 'other kind', objects: [{ kind: 'Pod', name: 'api', via: 'envelope' }] },
    { time: 1, message: 'one fits', objects: [{ kind: 'Service', name: 'api', via: 'envelope' }] },
  ]);
  linkObjects(store.correlation);
  assert.deepEqual(
    links(store.db)
      .filter((x) => !['a', 'b', 'c'].includes(x.event))
      .map((x) => [x.event, x.uid, x.via]),
    [
      ['one fits', 'uid-3', 'name'],
      ['two fit', null, 'name'],
      ['other kind', null, 'name'],
    ],
  );
  store.close();
});

test('linking twice gives the same result (it rebuilds)', () => {
  const store = storeWith([{ time: 0, objects: [pod('a', 'u1')] }, { time: 1, objects: [pod('a')] }]);
  const first = linkObjects(store.correlation);
  const again = linkObjects(store.correlation);
  assert.deepEqual(again, first);
  assert.equal(store.db.prepare('SELECT count(*) FROM objects').pluck().get(), 1);
  store.close();
});

test('an apiserver error that names nothing is linked, as inferred, to the objects of requests that failed around it', () => {
  const store = storeWith([
    { time: 0, objects: [pod('web-1', 'uid-a')] },
    {
      time: 100,
      component: 'audit',
      severity: 'error',
      message: 'get pods default/web-1 504',
      fields: { code: 504 },
      objects: [{ kind: 'Pod', namespace: 'default', name: 'web-1', via: 'audit', key: 'objectRef' }],
    },
    { time: 101, component: 'kube-apiserver', severity: 'error', message: 'Timeout: request did not complete within the allotted time' },
    { time: 500, component: 'kube-apiserver', severity: 'error', message: 'Timeout again, nothing failed near it' },
  ]);
  linkObjects(store.correlation);
  const inferred = links(store.db).filter((l) => l.via === 'inferred-time');
  assert.deepEqual(
    inferred.map((l) => [l.event, l.uid]),
    [['Timeout: request did not complete within the allotted time', 'uid-a']],
  );
  assert.ok(inferred[0]!.confidence < 0.5, 'inferred links are never counted as facts');
  store.close();
});

test('refs are read in pages of 20,000 events: the events on both sides of a page edge keep every link', () => {
  // 20,002 events of 3 refs: the first page ends with event 20,000, the second holds the rest. Each
  // pod is named by name only after its UID was seen, one event later (across the edge for 20,000).
  const n = 20_002;
  const specs = [];
  for (let i = 0; i < n; i++) {
    specs.push({ time: i / 1000, message: `e${i}`, objects: [pod(`a-${i}`, `ua-${i}`), pod(`b-${i}`, `ub-${i}`), ...(i ? [pod(`a-${i - 1}`)] : [])] });
  }
  const store = storeWith(specs);
  assert.equal((store.db.prepare('SELECT count(*) AS n FROM event_refs').get() as { n: number }).n, 3 * n - 1);
  const summary = linkObjects(store.correlation);
  assert.equal(summary.objects, 2 * n);
  const perEvent = store.db.prepare('SELECT count(*) AS n FROM event_objects GROUP BY event_id ORDER BY event_id').all() as { n: number }[];
  assert.equal(perEvent.length, n);
  assert.ok(perEvent.slice(1).every((r) => r.n === 3));
  const of = (message: string): string[] =>
    (store.db.prepare(`SELECT o.uid FROM event_objects eo JOIN objects o ON o.id = eo.object_id JOIN events e ON e.id = eo.event_id WHERE e.message = ? ORDER BY o.uid`).all(message) as { uid: string }[]).map((r) => r.uid);
  // Events 20,000 and 20,001 (ids, 1-based) are e19999 and e20000.
  for (const i of [19_998, 19_999, 20_000, 20_001]) assert.deepEqual(of(`e${i}`), [`ua-${i - 1}`, `ua-${i}`, `ub-${i}`]);
  store.close();
});

test('a UID takes the kind, namespace and name of its first reference, a name or namespace it lacked from the first that has one, and the lifetime of all', () => {
  const store = storeWith([
    { time: 5, message: 'uid only', objects: [{ kind: 'Pod', uid: 'u1', via: 'field', key: 'pod' }] },
    { time: 10, message: 'named', objects: [{ kind: 'Pod', name: 'web', uid: 'u1', via: 'field', key: 'pod' }] },
    { time: 20, message: 'named again, with a namespace', objects: [pod('other', 'u1', { namespace: 'shop' })] },
    { time: 30, message: 'the name in another namespace', objects: [pod('web')] },
  ]);
  linkObjects(store.correlation);
  const objects = store.db.prepare('SELECT id, uid, kind, namespace, name, first_seen, last_seen FROM objects ORDER BY id').all();
  assert.deepEqual(objects, [
    { id: 1, uid: 'u1', kind: 'Pod', namespace: 'shop', name: 'web', first_seen: at(5), last_seen: at(20) },
    { id: 2, uid: null, kind: 'Pod', namespace: 'default', name: 'web', first_seen: at(30), last_seen: at(30) },
  ]);
  store.close();
});

test('a name reused many times: the 8 latest lives before an event are looked through, older ones are not', () => {
  // web-1 lives long (uid-old, t=0..1000 s); then 'reuses' of the name come and go quickly (each
  // seen once, over more than the 5 min slack before the event). An event at t=900 s within
  // uid-old's life: found by lifetime while uid-old is among the 8 latest lives begun before it
  // (7 newer ones); with 8 newer ones the search stops at its cap and the nearest life is taken.
  const run = (reuses: number): Link | undefined => {
    const specs = [
      { time: 0, message: 'old created', objects: [pod('web-1', 'uid-old')] },
      { time: 1000, message: 'old last seen', objects: [pod('web-1', 'uid-old')] },
    ];
    for (let i = 0; i < reuses; i++) specs.push({ time: 100 + i * 50, message: `reuse ${i}`, objects: [pod('web-1', `uid-r${i}`)] });
    specs.push({ time: 900, message: 'name only', objects: [pod('web-1')] });
    const store = storeWith(specs);
    linkObjects(store.correlation);
    const l = links(store.db).find((x) => x.event === 'name only');
    store.close();
    return l;
  };
  const within = run(7);
  assert.deepEqual([within?.uid, within?.via], ['uid-old', 'name']);
  const past = run(8);
  assert.equal(past?.via, 'name-nearest', 'past the cap the lifetime search gives up');
  assert.notEqual(past?.uid, 'uid-old');
  assert.ok(past!.confidence >= 0.5 && past!.confidence < 0.95);
});

test("ObjectIndex: ids run on from the index's first, each object's row as sighted and widened; another index's ids are not its", () => {
  const index = new ObjectIndex('c1', 10);
  const a = index.seeUid({ uid: 'u-a', kind: 'Pod', namespace: 'default', name: 'a', pos: 0, first: 1, last: 2 });
  const b = index.seeUid({ uid: 'u-b', kind: 'Pod', namespace: 'default', name: null, pos: 1, first: 3, last: 4 });
  assert.equal(index.seeUid({ uid: 'u-b', kind: 'Pod', namespace: 'default', name: 'b', pos: 2, first: 2, last: 9 }), b, 'a later sighting of a UID is its object');
  index.indexNames();
  const named = index.resolveName('Service', 'default', 'web', 5).id; // a name-only object, made now
  index.resolveName('Service', 'default', 'web', 7); // ...and seen again later
  assert.deepEqual([a, b, named], [10, 11, 12]);
  assert.deepEqual([...index.ids()], [10, 11, 12]);
  assert.equal(index.size, 3);
  assert.deepEqual(index.row(10), { id: 10, cluster: 'c1', uid: 'u-a', kind: 'Pod', namespace: 'default', name: 'a', first: 1, last: 2, deleted: null });
  assert.deepEqual(index.row(11), { id: 11, cluster: 'c1', uid: 'u-b', kind: 'Pod', namespace: 'default', name: 'b', first: 2, last: 9, deleted: null });
  assert.deepEqual(index.row(12), { id: 12, cluster: 'c1', uid: null, kind: 'Service', namespace: 'default', name: 'web', first: 5, last: 7, deleted: null });
  assert.deepEqual([index.has(9), index.has(10), index.has(12), index.has(13)], [false, true, true, false]);
  assert.equal(index.byUid('u-b'), 11);
  assert.equal(index.byUid('u-c'), undefined);
  assert.equal(index.resolveName('Pod', 'default', 'b', 5).id, 11, 'the name a later sighting gave is indexed');
});
