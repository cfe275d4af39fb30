import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KEvent, Severity } from '../../../src/model/event.js';
import { compileSql } from '../../../src/query/compile-sql.js';
import { parseQuery } from '../../../src/query/parser.js';
import { END, StoreReader } from '../../../src/store/reader.js';
import { createWriter, openStore } from '../../../src/store/writer.js';
import { makeEvent } from './synthetic.js';
import { at, storeWith } from '../../helpers/store.js';

const SEV: Severity[] = ['debug', 'info', 'warn', 'error', 'fatal'];

/** 20 events, times 0,0,10,10,20,20...(µs), severity cycling, component alternating. */
function fixture() {
  const store = openStore(':memory:');
  const w = createWriter(store);
  const src = w.beginSource({ cluster: '', path: '/a', display: 'a.log', fingerprint: 'f' });
  const events: KEvent[] = Array.from({ length: 20 }, (_, i) =>
    makeEvent({
      seq: i + 1,
      time: Math.floor(i / 2) * 10,
      severity: SEV[i % 5]!,
      component: i % 2 ? 'etcd' : 'kubelet',
      message: i === 7 ? 'Readiness probe failed: connection refused' : `event number ${i + 1}`,
      objects: i === 7 ? [{ kind: 'Pod', namespace: 'default', name: 'web-1', via: 'message' }] : [],
    }),
  );
  w.addEvents(src.id, events);
  w.completeSource(src.id, { envelope: 'none' });
  w.close();
  return { store, reader: new StoreReader(store) };
}

test('pages walk the (time, id) order forwards and backwards without gaps or repeats', () => {
  const { store, reader } = fixture();
  const forward: number[] = [];
  let after = undefined as { time: number; id: number } | undefined;
  for (;;) {
    const page = reader.page({ limit: 3, after });
    if (page.length === 0) break;
    forward.push(...page.map((e) => e.id));
    after = page[page.length - 1]!;
  }
  assert.deepEqual(forward, Array.from({ length: 20 }, (_, i) => i + 1));
  const backward: number[] = [];
  let before = END;
  for (;;) {
    const page = reader.page({ limit: 3, before });
    if (page.length === 0) break;
    backward.unshift(...page.map((e) => e.id));
    before = page[0]!;
  }
  assert.deepEqual(backward, forward);
  // Keyset on an equal time: after (time 10, id 3) comes id 4 at the same time.
  assert.deepEqual(
    reader.page({ limit: 2, after: { time: 10, id: 3 } }).map((e) => e.id),
    [4, 5],
  );
  store.close();
});

test('count, countBefore and filtered pages use a compiled query', () => {
  const { store, reader } = fixture();
  const etcdWarn = compileSql(parseQuery('{component="etcd"} | level >= warn'));
  // etcd: odd indexes 1,3,...,19; severity index i%5 >= 2 -> i in {3,7,9,13,17,19}
  assert.equal(reader.count(), 20);
  assert.equal(reader.count(etcdWarn), 6);
  assert.deepEqual(
    reader.page({ limit: 10, filter: etcdWarn }).map((e) => e.id),
    [4, 8, 10, 14, 18, 20],
  );
  assert.deepEqual(
    reader.page({ limit: 2, filter: etcdWarn, before: { time: 80, id: 17 } }).map((e) => e.id),
    [10, 14],
  );
  assert.equal(reader.countBefore({ time: 80, id: 17 }, etcdWarn), 4);
  assert.equal(reader.countBefore({ time: 80, id: 17 }), 16);
  assert.deepEqual(reader.timeRange(etcdWarn), { from: 10, to: 90 });
  assert.equal(reader.timeRange(compileSql(parseQuery('|= "nothing like this"'))), undefined);
  store.close();
});

test('eventsByIds keeps the order asked and skips unknown ids', () => {
  const { store, reader } = fixture();
  assert.deepEqual(
    reader.byIds([5, 99, 2, 5]).map((e) => e.id),
    [5, 2, 5],
  );
  store.close();
});

test('histogram: counts by severity in equal buckets, filter applied, end exclusive', () => {
  const { store, reader } = fixture();
  const h = reader.histogram({ from: 0, to: 100, buckets: 4 });
  assert.deepEqual(
    h.map((b) => [b.start, b.end]),
    [
      [0, 25],
      [25, 50],
      [50, 75],
      [75, 100],
    ],
  );
  // times: 0,0,10,10,20,20 | 30,30,40,40 | 50,50,60,60,70,70 | 80,80,90,90
  // severity = index % 5 over indexes 0..19
  assert.deepEqual(
    h.map((b) => b.counts),
    [
      [2, 1, 1, 1, 1],
      [0, 1, 1, 1, 1],
      [2, 1, 1, 1, 1],
      [0, 1, 1, 1, 1],
    ],
  );
  const kubelet = reader.histogram({ from: 0, to: 90, buckets: 1, filter: compileSql(parseQuery('{component="kubelet"}')) });
  // kubelet: even indexes 0..16 (index 18 is at 90, excluded): severities 0,2,4,1,3,0,2,4,1
  assert.deepEqual(kubelet, [{ start: 0, end: 90, counts: [2, 2, 2, 1, 2] }]);
  store.close();
});

test('refs as the parsers gave them, objects as the correlator linked them', () => {
  const { store, reader } = fixture();
  assert.deepEqual(reader.byIds([8])[0]!.objects, [{ kind: 'Pod', namespace: 'default', name: 'web-1', via: 'message' }]);
  // Without them (trace as text): the same event, no references read.
  assert.deepEqual(reader.byIds([8], { refs: false }), [{ ...reader.byIds([8])[0]!, objects: [] }]);
  assert.deepEqual(store.objects.linksOf(8), []);
  store.db.exec(`INSERT INTO objects (id, uid, kind, namespace, name) VALUES (7, 'u-7', 'Pod', 'default', 'web-1');
                 INSERT INTO event_objects VALUES (8, 7, 'name', 0.8, (SELECT time FROM events WHERE id = 8))`);
  assert.deepEqual(store.objects.linksOf(8), [
    { id: 7, cluster: '', uid: 'u-7', kind: 'Pod', namespace: 'default', name: 'web-1', via: 'name', confidence: 0.8 },
  ]);
  store.close();
});

test('sources list with completion flag and stats', () => {
  const { store } = fixture();
  const list = store.sources.list();
  assert.ok(list.every((s) => typeof s.ingestedAt === 'number'), 'when each ingest began');
  assert.deepEqual(list.map(({ ingestedAt: _, ...rest }) => rest), [
    {
      id: 1,
      path: '/a',
      display: 'a.log',
      cluster: '',
      size: null,
      mtime: null,
      fingerprint: 'f',
      envelope: 'none',
      complete: true,
      stats: { envelope: 'none' },
    },
  ]);
  store.close();
});

test('counts per component and bucket, ids by severity and by sample, locations, raw text by source', () => {
  const store = storeWith([
    { time: 0, component: 'kubelet', severity: 'info', file: 'n1/kubelet.log' },
    { time: 1, component: 'kubelet', severity: 'error', file: 'n1/kubelet.log' },
    { time: 2, component: 'etcd', severity: 'warn', file: 'etcd.log' },
    { time: 9, component: 'etcd', severity: 'info', file: 'etcd.log' },
  ]);
  const ev = store.events;
  assert.deepEqual(
    ev.countsByComponent().map((r) => [r.component, r.severity, r.events]).sort(),
    [['etcd', 1, 1], ['etcd', 2, 1], ['kubelet', 1, 1], ['kubelet', 3, 1]],
  );
  // Two buckets of 2 s from time 0: time 9 falls past the last one and is counted in it.
  assert.deepEqual(
    ev.countsByComponentBucket(at(0), 2_000_000, 2, 2).map((r) => [r.component, r.bucket, r.warn, r.events]).sort(),
    [['etcd', 1, false, 1], ['etcd', 1, true, 1], ['kubelet', 0, false, 1], ['kubelet', 0, true, 1]],
  );
  assert.deepEqual(ev.idsAtLeast(2, 10), [2, 3]);
  assert.deepEqual(ev.sampleIds(2, 10), [2, 4]);
  assert.equal(ev.newestId(), 4);
  assert.deepEqual([...ev.locations()].map((l) => [l.file, l.line, l.id]), [['etcd.log', 3, 3], ['etcd.log', 4, 4], ['n1/kubelet.log', 1, 1], ['n1/kubelet.log', 2, 2]]);
  assert.deepEqual([...ev.rawOfSources(['/kubelet.log'])].map((r) => r.id), [1, 2]);
  assert.equal(store.sources.idOf('etcd.log', '/nowhere'), store.sources.list().find((s) => s.display === 'etcd.log')!.id);
  assert.equal(store.sources.idOf('missing.log', '/nowhere'), undefined);
  store.close();
});
