import { test } from 'node:test';
import assert from 'node:assert/strict';
import { linkObjects } from '../../../src/correlate/link.js';
import { storeWith } from '../../helpers/store.js';

function edges(db: import('better-sqlite3').Database): string[] {
  return (
    db
      .prepare(
        `SELECT a.kind || '/' || a.name || ' -> ' || b.kind || '/' || b.name || ' (' || w.via || ')' AS e
         FROM owners w JOIN objects a ON a.id = w.owner_id JOIN objects b ON b.id = w.owned_id ORDER BY e`,
      )
      .pluck()
      .all() as string[]
  );
}

test('owners from audit ownerReferences, controller lines and Events, and the naming pattern as a last resort', () => {
  const store = storeWith([
    {
      time: 0,
      component: 'audit',
      message: 'create replicasets default/web-7d9f8b6c4 201',
      objects: [
        { kind: 'ReplicaSet', namespace: 'default', name: 'web-7d9f8b6c4', uid: 'rs-1', via: 'audit', key: 'objectRef' },
        { kind: 'Deployment', namespace: 'default', name: 'web', uid: 'dep-1', via: 'audit', key: 'ownerReferences' },
      ],
    },
    {
      time: 1,
      component: 'kube-controller-manager',
      message: 'Event occurred',
      fields: { reason: 'SuccessfulCreate', message: 'Created pod: web-7d9f8b6c4-x2x9q' },
      objects: [{ kind: 'ReplicaSet', namespace: 'default', name: 'web-7d9f8b6c4', via: 'field', key: 'object' }],
    },
    {
      time: 2,
      component: 'event',
      message: 'ScalingReplicaSet: Scaled up replica set api-5f5f5f5f5 from 0 to 1',
      objects: [{ kind: 'Deployment', namespace: 'default', name: 'api', uid: 'dep-2', via: 'event', key: 'involvedObject' }],
    },
    // A pod whose owner no line states: only its name ties it to a ReplicaSet seen elsewhere.
    { time: 3, objects: [{ kind: 'ReplicaSet', namespace: 'default', name: 'db-6b6b6b6b6', uid: 'rs-3', via: 'audit', key: 'objectRef' }] },
    { time: 4, objects: [{ kind: 'Pod', namespace: 'default', name: 'db-6b6b6b6b6-abcde', uid: 'pod-3', via: 'field', key: 'pod' }] },
  ]);
  linkObjects(store.correlation);
  assert.deepEqual(edges(store.db), [
    'Deployment/api -> ReplicaSet/api-5f5f5f5f5 (scaled-by)',
    'Deployment/web -> ReplicaSet/web-7d9f8b6c4 (audit)',
    'ReplicaSet/db-6b6b6b6b6 -> Pod/db-6b6b6b6b6-abcde (name-pattern)',
    'ReplicaSet/web-7d9f8b6c4 -> Pod/web-7d9f8b6c4-x2x9q (created-by)',
  ]);
  const guessed = store.db.prepare(`SELECT confidence FROM owners WHERE via = 'name-pattern'`).pluck().get() as number;
  assert.ok(guessed < 0.5, 'a name-pattern owner is marked low-confidence');
  store.close();
});
