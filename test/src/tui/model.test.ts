import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileSql } from '../../../src/query/compile-sql.js';
import { parseQuery } from '../../../src/query/parser.js';
import { StoreReader, type PageOptions, type StoredEvent } from '../../../src/store/reader.js';
import { EventWindow, type PageSource } from '../../../src/tui/model/event-window.js';
import { compileQuery, filterAnd, ERRORS } from '../../../src/tui/model/filter.js';
import { IndexWindow } from '../../../src/tui/model/index-window.js';
import { IncidentStore } from '../../../src/tui/model/incidents.js';
import { primaryObject } from '../../../src/tui/model/objects.js';
import { storeBounds } from '../../../src/tui/model/overview.js';
import { parseJump } from '../../../src/tui/model/time-jump.js';
import { loadTimeline, stepAtOrAfter } from '../../../src/tui/model/timeline.js';
import { TuiModel } from '../../../src/tui/model/index.js';
import { FIXTURE_EVENTS, fixtureStore, POD, POD_UID, RS_UID, DEP_UID, sec } from './fixture.js';

const store = fixtureStore();
const reader = new StoreReader(store);
const allIds = reader.ids();

/** A reader that records every page asked for, to check that only screenfuls are read. */
function counting(): PageSource & { calls: PageOptions[] } {
  const calls: PageOptions[] = [];
  return {
    calls,
    page(opts: PageOptions): StoredEvent[] {
      calls.push(opts);
      return reader.page(opts);
    },
  };
}

const ids = (rows: StoredEvent[]): number[] => rows.map((e) => e.id);

test('the fixture holds every event, in (time, id) order', () => {
  assert.equal(allIds.length, FIXTURE_EVENTS);
});

test('event window: home, moves, pages, end and back, reading only screenfuls', () => {
  const src = counting();
  const w = new EventWindow(src);
  w.setHeight(10);
  assert.deepEqual(ids(w.rows), allIds.slice(0, 10));
  assert.equal(w.cursor, 0);
  for (let i = 0; i < 9; i++) w.moveBy(1);
  assert.equal(w.cursor, 9);
  const before = src.calls.length;
  w.moveBy(1); // scrolls by one: one read of one row
  assert.equal(src.calls.length, before + 1);
  assert.equal(src.calls[src.calls.length - 1]!.limit, 1);
  assert.deepEqual(ids(w.rows), allIds.slice(1, 11));
  assert.equal(w.selected()!.id, allIds[10]);
  w.moveBy(10); // page down: the cursor keeps its screen row
  assert.deepEqual(ids(w.rows), allIds.slice(11, 21));
  assert.equal(w.selected()!.id, allIds[20]);
  w.moveBy(-10);
  assert.equal(w.selected()!.id, allIds[10]);
  // Every read so far asked for at most a screenful, whatever the store's size.
  assert.ok(src.calls.every((c) => c.limit <= 10), JSON.stringify(src.calls.map((c) => c.limit)));
  w.moveBy(-1000); // far past the start: the first event
  assert.equal(w.selected()!.id, allIds[0]);
  w.end();
  assert.deepEqual(ids(w.rows), allIds.slice(-10));
  assert.equal(w.selected()!.id, allIds[allIds.length - 1]);
  assert.equal(w.atEnd(), true);
  w.moveBy(5); // nothing after the end
  assert.equal(w.selected()!.id, allIds[allIds.length - 1]);
  w.moveBy(-3);
  assert.equal(w.atEnd(), false);
});

test('event window: goTo puts the event a third of the way down, or fills the end', () => {
  const w = new EventWindow(reader);
  w.setHeight(9);
  const target = allIds[100]!;
  const e = reader.byIds([target])[0]!;
  w.goTo({ time: e.time, id: e.id });
  assert.equal(w.selected()!.id, target);
  assert.equal(w.cursor, 3);
  assert.deepEqual(ids(w.rows), allIds.slice(97, 106));
  const last = reader.byIds([allIds[allIds.length - 2]!])[0]!;
  w.goTo({ time: last.time, id: last.id });
  assert.deepEqual(ids(w.rows), allIds.slice(-9));
  assert.equal(w.selected()!.id, last.id);
  // A time after everything: the last event.
  w.goTo({ time: sec(10_000), id: 0 });
  assert.equal(w.selected()!.id, allIds[allIds.length - 1]);
});

test('event window: a filter that matches little does not re-read at its ends', () => {
  const src = counting();
  const w = new EventWindow(src);
  w.setHeight(10);
  const filter = compileSql(parseQuery('|= "Error syncing"'));
  w.setFilter(filter);
  assert.equal(w.rows.length, 5);
  w.moveBy(4);
  const calls = src.calls.length;
  for (let i = 0; i < 20; i++) w.moveBy(1);
  w.moveBy(-1);
  w.moveBy(1);
  assert.equal(src.calls.length, calls, 'the ends are known: no more reads');
  assert.equal(w.selected()!.message, 'Error syncing pod, skipping');
  w.invalidate(); // new data: the ends are read again
  w.moveBy(1);
  assert.equal(src.calls.length, calls + 1);
});

test('event window: a height change keeps the selection on screen', () => {
  const w = new EventWindow(reader);
  w.setHeight(20);
  w.moveBy(15);
  const sel = w.selected()!.id;
  w.setHeight(8);
  assert.equal(w.selected()!.id, sel);
  assert.equal(w.rows.length, 8);
  assert.ok(w.cursor < 8);
  w.setHeight(30);
  assert.equal(w.selected()!.id, sel);
});

test('jump targets: instants, times of day, offsets', () => {
  const ctx = { cursor: sec(100), start: sec(0) };
  const table: [string, number | string][] = [
    ['2025-03-21T14:02:00Z', sec(120)],
    ['2025-03-21 14:02:00.5', sec(120.5)],
    ['2025-03-21T16:02:00+02:00', sec(120)],
    ['2025-03-21', Date.UTC(2025, 2, 21) * 1000],
    ['14:03', sec(180)],
    ['14:03:07.25', sec(187.25)],
    ['+30s', sec(130)],
    ['-1m', sec(40)],
    ['+1m30s', sec(190)],
    ['90s', sec(90)],
    ['  5m  ', sec(300)],
    ['25:00', 'not a time of day'],
    ['yesterday', 'not a time or duration'],
    ['', 'type a time'],
    ['2025-13-01', 'not a time or duration'],
  ];
  for (const [text, want] of table) {
    const got = parseJump(text, ctx);
    if (typeof want === 'number') assert.deepEqual(got, { ok: true, time: want }, text);
    else assert.ok(!got.ok && got.error.includes(want), `${text}: ${JSON.stringify(got)}`);
  }
  assert.equal(parseJump('+5m', {}).ok, false);
});

test('queries: compiled on success, the column of the problem otherwise (leading spaces counted)', () => {
  const ok = compileQuery('{component="kubelet"}', 0);
  assert.ok(ok.ok);
  const bad = compileQuery('  {component="kubelet"', 0);
  assert.ok(!bad.ok);
  assert.equal(bad.problem.column, 23);
  assert.match(bad.problem.message, /column 21/);
  const unterminated = compileQuery('|= "abc', 0);
  assert.ok(!unterminated.ok);
  assert.equal(unterminated.problem.column, 4);
  // Errors within the filter: both must hold.
  const sql = filterAnd(ok.query, ERRORS, 0);
  const found = reader.page({ limit: 100, filter: sql });
  assert.equal(found.length, 5); // the pod's errors (the background errors are other components')
  assert.ok(found.every((e) => e.component === 'kubelet' && e.severity === 'error'));
});

test('index window: moves, pages, jumps, clamps', () => {
  const w = new IndexWindow(50, 10);
  w.moveBy(5);
  assert.deepEqual([w.cursor, w.top], [5, 0]);
  w.moveBy(7); // scrolls just enough to keep the cursor in view
  assert.deepEqual([w.cursor, w.top], [12, 3]);
  w.moveBy(10); // a page moves the view with it
  assert.deepEqual([w.cursor, w.top], [22, 13]);
  w.end();
  assert.deepEqual([w.cursor, w.top], [49, 40]);
  w.select(20);
  assert.deepEqual([w.cursor, w.top], [20, 17]);
  w.home();
  assert.deepEqual(w.visible(), [0, 10]);
  w.setHeight(100);
  assert.deepEqual(w.visible(), [0, 50]);
  const empty = new IndexWindow(0, 5);
  empty.moveBy(3);
  assert.deepEqual(empty.visible(), [0, 0]);
});

test('incidents: listed in start order with their roots; evidence strongest role first, in time order within a role', () => {
  const inc = new IncidentStore(store.incidents);
  const list = inc.list();
  assert.deepEqual(
    list.map((r) => [r.kind, r.severity, r.root]),
    [
      ['crashloop', 'error', `pod/default/${POD}`],
      ['node-not-ready', 'warn', 'node/worker-1'],
    ],
  );
  const data = inc.load(list[0]!.id)!;
  assert.deepEqual(data.components, ['audit', 'kubelet', 'kube-scheduler']);
  assert.deepEqual(
    data.causeChain.map((s) => s.kind),
    ['rollout', 'created-by'],
  );
  assert.deepEqual(
    data.evidence.map((e) => e.role),
    ['trigger', 'trigger', 'trigger', 'trigger', 'trigger', 'cause', 'evidence'],
  );
  assert.ok(data.evidence.every((e, i) => i === 0 || e.role !== data.evidence[i - 1]!.role || e.time >= data.evidence[i - 1]!.time));
  assert.equal(inc.load(9999), undefined);
});

test('incident details that are not JSON still list and load', () => {
  const s = fixtureStore();
  s.db.prepare(`INSERT INTO incidents (kind, severity, start_time, end_time, root_object_id, summary, details) VALUES ('x', 9 - 6, 1, 2, NULL, 'odd', 'not json')`).run();
  const inc = new IncidentStore(s.incidents);
  const odd = inc.list().find((r) => r.kind === 'x')!;
  assert.equal(odd.root, '?');
  assert.deepEqual(inc.load(odd.id)!.causeChain, []);
});

test('timeline: the pod with its owners; the deployment owns the replica set and the pod', () => {
  const model = new TuiModel(store);
  const podId = store.db.prepare('SELECT id FROM objects WHERE uid = ?').pluck().get(POD_UID) as number;
  const pod = loadTimeline(store.objects, model.object(podId)!);
  assert.deepEqual(
    pod.owners.map((o) => o.uid),
    [RS_UID, DEP_UID],
  );
  assert.ok(pod.steps.length >= 8, String(pod.steps.length));
  assert.equal(pod.steps[0]!.sincePrevious, 0);
  const depId = store.db.prepare('SELECT id FROM objects WHERE uid = ?').pluck().get(DEP_UID) as number;
  const dep = loadTimeline(store.objects, model.object(depId)!);
  assert.deepEqual(
    dep.objects.map((o) => [o.kind, o.depth]),
    [
      ['Deployment', 0],
      ['ReplicaSet', 1],
      ['Pod', 2],
    ],
  );
  assert.equal(stepAtOrAfter(pod.steps, sec(120)), pod.steps.findIndex((s) => s.time >= sec(120)));
  assert.equal(stepAtOrAfter(pod.steps, sec(99_999)), pod.steps.length);
});

test('primary object: strongest link, pods and nodes first on ties, emitters last', () => {
  const o = (id: number, kind: string, via: string, confidence: number) => ({ id, cluster: '', uid: null, kind, namespace: null, name: `n${id}`, via, confidence });
  assert.equal(primaryObject([o(1, 'Node', 'name', 0.95), o(2, 'Pod', 'uid', 1)])!.id, 2);
  assert.equal(primaryObject([o(1, 'Service', 'uid', 1), o(2, 'Node', 'uid', 1), o(3, 'Pod', 'uid', 1)])!.id, 3);
  assert.equal(primaryObject([o(1, 'Pod', 'emitter', 0.4), o(2, 'Service', 'name', 0.6)])!.id, 2);
  assert.equal(primaryObject([o(1, 'Pod', 'emitter', 0.4)])!.id, 1);
  assert.equal(primaryObject([o(1, 'Pod', 'uid', 1)], 1), undefined);
});

test('histogram: the index fast path (no filter) counts what the grouped scan (a filter) counts', () => {
  const b = storeBounds(reader)!;
  const model = new TuiModel(store);
  const fast = model.histogram(b.first.time, b.last.time, 37);
  const slow = reader.histogram({ from: b.first.time, to: b.last.time + 1, buckets: 37, filter: { where: '1', params: [] } });
  assert.deepEqual(fast, slow);
  assert.equal(
    fast.reduce((n, x) => n + x.counts.reduce((a, c) => a + c, 0), 0),
    FIXTURE_EVENTS,
  );
  const errors = model.histogram(b.first.time, b.last.time, 37, compileSql(parseQuery('| level >= error')));
  assert.equal(
    errors.reduce((n, x) => n + x.counts[3] + x.counts[4], 0),
    reader.count(compileSql(parseQuery('| level >= error'))),
  );
});

