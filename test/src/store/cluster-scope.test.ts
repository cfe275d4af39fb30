/**
 * Two clusters in one store: a store opened for one cluster answers every read from that
 * cluster only, without one from both; the linker makes the same UID in two clusters two
 * objects; re-ingest is per cluster.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileSql } from '../../../src/query/compile-sql.js';
import { parseQuery } from '../../../src/query/parser.js';
import { linkObjects } from '../../../src/correlate/link.js';
import { ClusterScope } from '../../../src/store/cluster-scope.js';
import { refsPageSql } from '../../../src/store/correlation.js';
import { writeStatistics } from '../../../src/store/schema.js';
import { createWriter, openStore } from '../../../src/store/writer.js';
import type { KEvent } from '../../../src/model/event.js';
import { makeEvent } from './synthetic.js';

/** Both clusters hold the same pod (same UID) in a.log; cluster "b" also has b.log. */
function twoClusters() {
  const store = openStore(':memory:');
  const w = createWriter(store);
  const pod = { kind: 'Pod', namespace: 'kube-system', name: 'coredns-1', uid: 'same-uid', via: 'field' as const, key: 'pod' };
  const write = (cluster: string, file: string, events: KEvent[]): void => {
    const s = w.beginSource({ cluster, path: `/bundle/${file}`, display: file, fingerprint: file });
    assert.equal(s.skip, false);
    w.addEvents(s.id, events);
    w.completeSource(s.id);
  };
  write('a', 'a.log', [1, 2, 3].map((seq) => makeEvent({ seq, severity: 'warn', objects: [pod] })));
  write('b', 'a.log', [4, 5].map((seq) => makeEvent({ seq, objects: [pod] })));
  write('b', 'b.log', [6].map((seq) => makeEvent({ seq, component: 'etcd', source: { file: 'b.log', line: 1, endLine: 1, format: 'none/klog' } })));
  w.close();
  linkObjects(store.correlation);
  return store;
}

test('every read of a store opened for one cluster sees that cluster only; without one, both', () => {
  const all = twoClusters();
  const a = all.inCluster('a');
  const b = all.inCluster('b');
  assert.deepEqual([all.events.count(), a.events.count(), b.events.count()], [6, 3, 3]);
  assert.deepEqual(a.events.page({ limit: 10 }).map((e) => [e.id, e.cluster]), [[1, 'a'], [2, 'a'], [3, 'a']]);
  const warn = compileSql(parseQuery('{severity="warn"}'));
  assert.deepEqual([all.events.count(warn), a.events.count(warn), b.events.count(warn)], [3, 3, 0], 'a filter and the scope together');
  assert.deepEqual(b.events.byIds([1, 4]).map((e) => e.id), [4], 'an id of another cluster is not there');
  assert.deepEqual(b.events.timeRange(), { from: all.events.byIds([4])[0]!.time, to: all.events.byIds([6])[0]!.time });
  assert.deepEqual(a.events.countsByComponent(), [{ component: 'kubelet', severity: 2, events: 3 }]);
  assert.equal(b.events.countsByComponent().reduce((n, c) => n + c.events, 0), 3);
  assert.equal(a.events.histogram({ from: 0, to: Number.MAX_SAFE_INTEGER, buckets: 1 })[0]!.counts[2], 3);
  assert.equal(b.events.histogram({ from: 0, to: Number.MAX_SAFE_INTEGER, buckets: 1 })[0]!.counts[2], 0);
  assert.deepEqual([a.events.newestId(), b.events.newestId()], [3, 6]);
  assert.deepEqual([...b.events.locations()].map((l) => l.id), [4, 5, 6]);
  assert.deepEqual(a.sources.list().map((s) => [s.cluster, s.display]), [['a', 'a.log']]);
  assert.deepEqual(all.sources.clusters(), ['a', 'b']);
  assert.deepEqual(b.sources.clusters(), ['b']);
  assert.deepEqual(all.inCluster('nope').sources.clusters(), []);
  assert.equal(all.inCluster('nope').events.count(), 0);
  all.close();
});

test('the same UID in two clusters is two objects, each linked to its own cluster\'s events only', () => {
  const all = twoClusters();
  const objs = all.objects.byUid('same-uid');
  assert.deepEqual(objs.map((o) => o.cluster).sort(), ['a', 'b']);
  for (const o of objs) {
    const steps = all.objects.timeline(o).steps.map((s) => s.eventId);
    assert.deepEqual(steps, o.cluster === 'a' ? [1, 2, 3] : [4, 5]);
  }
  assert.deepEqual(all.inCluster('a').objects.byUid('same-uid').map((o) => o.cluster), ['a']);
  assert.deepEqual(all.inCluster('b').objects.byName('Pod', 'kube-system', 'coredns-1').map((o) => o.cluster), ['b']);
  assert.equal(all.objects.count(), 2);
  assert.equal(all.inCluster('a').objects.count(), 1);
  assert.deepEqual(all.objects.linksOf(4).map((l) => l.cluster), ['b']);
  all.close();
});

test('re-ingest is per cluster: the same file under another cluster name is another source', () => {
  const store = twoClusters();
  const w = createWriter(store);
  assert.equal(w.beginSource({ cluster: 'a', path: '/bundle/a.log', display: 'a.log', fingerprint: 'a.log' }).skip, true);
  assert.equal(w.beginSource({ cluster: 'b', path: '/bundle/a.log', display: 'a.log', fingerprint: 'a.log' }).skip, true);
  const c = w.beginSource({ cluster: 'c', path: '/bundle/a.log', display: 'a.log', fingerprint: 'a.log' });
  assert.equal(c.skip, false);
  assert.equal(c.discardedEvents, 0, 'the other clusters\' copies stay');
  w.close();
  assert.deepEqual(store.sources.clusters(), ['a', 'b', 'c']);
  store.close();
});

test('the scope condition: nothing for every cluster, one named parameter for one', () => {
  assert.equal(ClusterScope.ALL.on('e'), '1');
  assert.deepEqual(ClusterScope.ALL.params, {});
  const f = { where: 'events.severity >= ?', params: [2] };
  assert.equal(ClusterScope.ALL.filter(f), f);
  const scope = new ClusterScope("it's \"x\"");
  assert.equal(scope.on('e'), 'e.cluster = @cluster', 'the name never enters the SQL text');
  assert.deepEqual(scope.filter(f), { where: '(events.severity >= ?) AND events.cluster = @cluster', params: [2, { cluster: "it's \"x\"" }] });
});

/**
 * A store big enough for the plan to matter: cluster "b" holds most events, few of them etcd's;
 * cluster "a" a handful. Filled by a bulk ingest, which ends by writing the statistics.
 */
function mostlyOneCluster() {
  const store = openStore(':memory:');
  const w = createWriter(store);
  const write = (cluster: string, file: string, events: KEvent[]): void => {
    const s = w.beginSource({ cluster, path: `/bundle/${file}`, display: file, fingerprint: file });
    w.addEvents(s.id, events);
    w.completeSource(s.id);
  };
  write('a', 'a.log', [1, 2, 3].map((seq) => makeEvent({ seq })));
  write('b', 'b.log', Array.from({ length: 2000 }, (_, i) => makeEvent({ seq: 10 + i, component: i % 100 === 0 ? 'etcd' : 'kubelet' })));
  w.close();
  return store;
}

test('with the statistics a bulk ingest writes, a cluster condition does not drive reads another condition narrows', () => {
  const store = mostlyOneCluster();
  const b = new ClusterScope('b');
  const plan = (sql: string, ...params: unknown[]): string =>
    (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params, b.params) as { detail: string }[]).map((r) => r.detail).join('; ');
  const etcd = `SELECT e.id FROM events e WHERE e.component = 'etcd' AND ${b.on('e')} ORDER BY e.time, e.id`;
  assert.deepEqual(store.db.prepare(etcd).pluck().all(b.params), Array.from({ length: 20 }, (_, i) => 4 + i * 100));
  assert.match(plan(etcd), /events_component_time/);
  assert.doesNotMatch(plan(etcd), /events_cluster_time/);
  // The linker's reference pages: a range of event_refs' key, never the cluster's events.
  assert.doesNotMatch(plan(refsPageSql(b), 0, 0), /events_cluster_time/);
  // A read by the cluster alone still takes its index, in time order without a sort.
  assert.match(plan(`SELECT e.id FROM events e WHERE ${b.on('e')} ORDER BY e.time, e.id`), /events_cluster_time/);
  assert.match(
    store.db.prepare(`SELECT stat FROM sqlite_stat1 WHERE idx = 'events_cluster_time'`).pluck().get() as string,
    /^2003 1002 1$/,
    'the events, and the events per cluster',
  );
  store.close();
});

test('without statistics SQLite would take the cluster for selective: what writeStatistics prevents', () => {
  const store = mostlyOneCluster();
  store.db.exec(`DELETE FROM sqlite_stat1; ANALYZE sqlite_schema`);
  const b = new ClusterScope('b');
  const sql = `EXPLAIN QUERY PLAN SELECT e.id FROM events e WHERE e.component = 'etcd' AND ${b.on('e')} ORDER BY e.time, e.id`;
  assert.match((store.db.prepare(sql).all(b.params) as { detail: string }[]).map((r) => r.detail).join('; '), /events_cluster_time/);
  writeStatistics(store.db);
  assert.match((store.db.prepare(sql).all(b.params) as { detail: string }[]).map((r) => r.detail).join('; '), /events_component_time/);
  store.close();
});
