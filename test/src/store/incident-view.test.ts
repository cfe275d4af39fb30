/** The rules' view of a linked store (src/store/incident-view.ts), on a real capture. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ingestPaths } from '../../../src/correlate/ingest-paths.js';
import { linkObjects } from '../../../src/correlate/link.js';
import { eventsAboutSql, STORY_COMPONENTS } from '../../../src/store/incident-view.js';
import { openStore } from '../../../src/store/writer.js';
import { corpus, corpusSkip } from '../../helpers/paths.js';
import { SIGNAL_REGISTRY } from '../../../src/signals/index.js';

test('writerId is the id of writer() for every event of a real capture, without reading its links', { skip: corpusSkip() }, async () => {
  const store = openStore(':memory:');
  await ingestPaths(store, [corpus('kind-1.32-bundle')]);
  linkObjects(store.correlation);
  const view = store.detection.view(0.5);
  const ids = store.db.prepare('SELECT id FROM events ORDER BY id').pluck().all() as number[];
  let written = 0;
  for (const id of ids) {
    const w = view.writer(id);
    assert.equal(view.writerId(id), w?.id, `event ${id}`);
    if (w) written++;
  }
  assert.ok(written > 100 && written < ids.length, `some events have a writer pod, not all (${written} of ${ids.length})`);
  store.close();
});

test('eachSignalled (and eachLeanSignalled, without message, fields and location) streams what signalled reads, row for row, on real captures (restarts, scheduling, evictions, kills)', { skip: corpusSkip() }, async () => {
  const groups = [
    ['back-off-restarting', 'container-died', 'container-killed', 'oom-killed'],
    ['failed-scheduling', 'pod-scheduled'],
    ['pod-evicted'],
    ['network-not-ready'],
  ];
  for (const capture of ['openshift-kubelet-journal', 'failure-cases']) {
    const store = openStore(':memory:');
    await ingestPaths(store, [corpus(capture)]);
    linkObjects(store.correlation);
    store.detection.computeSignals(SIGNAL_REGISTRY);
    const view = store.detection.view(0.5, undefined, SIGNAL_REGISTRY.names);
    let seen = 0;
    for (const names of groups) {
      const whole = view.signalled(names);
      assert.deepEqual([...view.eachSignalled(names)], whole, `${capture}: ${names.join(', ')}`);
      const lean = whole.map(({ id, time, component, host, signal, facts }) => ({ id, time, component, host, signal, facts }));
      assert.deepEqual([...view.eachLeanSignalled(names)], lean, `${capture}: ${names.join(', ')}, lean`);
      seen += whole.length;
    }
    assert.ok(seen > 100, `${capture} states these signals (${seen} rows)`);
    assert.throws(() => [...view.eachSignalled(['no-such-signal'])], /no-such-signal/, 'an unknown signal is refused as signalled refuses it');
    store.close();
  }
});

test("an object's events in a window: the window is tested in the links' index, in its order, before any event row is read", () => {
  const store = openStore(':memory:');
  try {
    for (const [components, columns] of [[0], [1], [3], [3, 'l.event_id']] as const) {
      const params = [1, 0.5, 10, 20, ...Array.from({ length: components }, () => 'kubelet')];
      const plan = (store.db.prepare(`EXPLAIN QUERY PLAN ${eventsAboutSql(components, columns)}`).all(...params) as { detail: string }[])
        .map((r) => r.detail)
        .join('; ');
      assert.match(plan, /SEARCH l USING COVERING INDEX event_objects_object_time \(object_id=\? AND time>\? AND time<\?\)/, plan);
      assert.match(plan, /SEARCH e USING INTEGER PRIMARY KEY/, plan);
      assert.doesNotMatch(plan, /TEMP B-TREE/, `no sort: ${plan}`);
    }
  } finally {
    store.close();
  }
});

test("eventIdsAbout gives eventsAbout's ids in its order, for every object of a real capture", { skip: corpusSkip() }, async () => {
  const store = openStore(':memory:');
  await ingestPaths(store, [corpus('kind-1.32-bundle')]);
  linkObjects(store.correlation);
  const view = store.detection.view(0.5);
  const objects = store.db.prepare('SELECT id, first_seen AS first, last_seen AS last FROM objects ORDER BY id').all() as { id: number; first: number; last: number }[];
  let compared = 0;
  for (const o of objects) {
    const middle = Math.round((o.first + o.last) / 2);
    for (const [from, to] of [[o.first, o.last], [o.first - 1e9, middle], [middle, o.last + 1e9]] as const) {
      for (const components of [STORY_COMPONENTS, ['kubelet'], ['kube-apiserver', 'audit']]) {
        const ids = view.eventIdsAbout(o.id, from, to, components);
        assert.deepEqual(ids, view.eventsAbout(o.id, from, to, components).map((e) => e.id), `object ${o.id} [${from}, ${to}] ${components.join(',')}`);
        compared += ids.length;
      }
    }
  }
  assert.ok(compared > 300, `the capture's objects have events to compare (${compared})`);
  store.close();
});

test("owners answers as the owner edges say for every object of real captures, those without owners read from the edges once", { skip: corpusSkip() }, async () => {
  for (const capture of ['kind-1.32-bundle', 'failure-cases']) {
    const store = openStore(':memory:');
    await ingestPaths(store, [corpus(capture)]);
    linkObjects(store.correlation);
    const view = store.detection.view(0.5);
    const edges = store.db.prepare(
      `SELECT w.owned_id AS owned, o.id AS owner FROM owners w JOIN objects o ON o.id = w.owner_id ORDER BY w.owned_id, w.confidence DESC, o.id`,
    ).all() as { owned: number; owner: number }[];
    const ids = store.db.prepare('SELECT id FROM objects ORDER BY id').pluck().all() as number[];
    let owned = 0;
    for (const id of [...ids, Math.max(...ids) + 1, Math.max(...ids) + 1000]) {
      const expected = edges.filter((e) => e.owned === id).map((e) => e.owner);
      assert.deepEqual(view.owners(id).map((o) => o.id), expected, `${capture}: object ${id}`);
      if (expected.length) owned++;
    }
    assert.ok(owned > 0 && owned < ids.length, `${capture}: some objects are owned, some not (${owned} of ${ids.length})`);
    store.close();
  }
});
