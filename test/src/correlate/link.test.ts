import { test } from 'node:test';
import assert from 'node:assert/strict';
import { linkObjects, normalizeContainerId } from '../../../src/correlate/link.js';
import type { ObjectRef } from '../../../src/model/event.js';
import { storeWith } from '../../helpers/store.js';

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
