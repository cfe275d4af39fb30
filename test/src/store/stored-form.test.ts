import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inspect } from 'node:util';
import type { KEvent } from '../../../src/model/event.js';
import { SIGNAL_REGISTRY } from '../../../src/signals/index.js';
import { computeSignals, forgetSignalsAtWrite, type SignalRegistry } from '../../../src/store/signals.js';
import { fieldsJson, formEvents, jsonExact, storedFields, type FormedEvent } from '../../../src/store/stored-form.js';
import { createWriter, openStore, type Store } from '../../../src/store/writer.js';
import { corpus, corpusSkip } from '../../helpers/paths.js';
import { readAll } from '../../helpers/read-events.js';
import { makeEvent } from './synthetic.js';

/** A fresh store holding the events (one source per file), written with the signals recognized at write. */
function ingest(events: readonly KEvent[], registry: SignalRegistry = SIGNAL_REGISTRY): Store {
  const store = openStore(':memory:');
  const w = createWriter(store, { signals: registry });
  const ids = new Map<string, number>();
  for (const file of new Set(events.map((e) => e.source.file))) {
    ids.set(file, w.beginSource({ cluster: '', path: `/logs/${file}`, display: file, fingerprint: file, size: 1, mtime: 1 }).id);
  }
  assert.equal(w.addMergedEvents(events, ids), events.length);
  w.completeSources([...ids.values()].map((id) => ({ id })));
  w.close();
  return store;
}

/** The events as a parse worker sends them to an ingest: formed, then copied across threads. */
function asFromWorker(events: readonly KEvent[]): KEvent[] {
  const copy = structuredClone(events) as KEvent[];
  formEvents(copy, SIGNAL_REGISTRY);
  return structuredClone(copy);
}

function rows(store: Store, sql: string): unknown[] {
  return store.db.prepare(sql).raw().all();
}

const SIGNALS_SQL = 'SELECT * FROM event_signals ORDER BY event_id, signal';

/** The signals recognized as the events were written are those a pass over the stored text finds. */
function assertSignalsAsFromText(store: Store, registry: SignalRegistry): void {
  const atWrite = rows(store, SIGNALS_SQL);
  forgetSignalsAtWrite(store.db);
  computeSignals(store.db, registry);
  assert.deepEqual(rows(store, SIGNALS_SQL), atWrite);
}

/** The two stores hold the same events, references and signals, row for row. */
function assertSameRows(a: Store, b: Store): void {
  for (const sql of ['SELECT * FROM events ORDER BY id', 'SELECT * FROM event_refs ORDER BY event_id, ord', 'SELECT * FROM event_signals ORDER BY event_id, signal']) {
    assert.deepEqual(rows(b, sql), rows(a, sql), sql);
  }
}

test('events a worker formed without the signals (fields given up) are recognized by the writer from their stored text', { skip: corpusSkip() }, async () => {
  const { events } = await readAll(corpus('openshift-kubelet-journal'));
  const formed = structuredClone(events) as KEvent[];
  formEvents(formed); // no registry: the text is made, the fields object dropped, no signals
  assert.ok(formed.every((e) => Object.keys(e.fields).length === 0));
  const fromText = ingest(formed);
  assert.ok(rows(fromText, SIGNALS_SQL).length > 0, 'the capture states signals');
  assertSameRows(ingest(events), fromText);
});

test('events formed on a worker store the same rows as events formed by the writer: real journald, kind and audit lines', { skip: corpusSkip() }, async () => {
  for (const folder of ['openshift-kubelet-journal', 'kind-1.32-bundle', 'audit-events', 'coredns-querylog']) {
    const { events } = await readAll(corpus(folder));
    assert.ok(events.length > 40, `${folder}: ${events.length} events`);
    const formed = asFromWorker(events);
    assert.ok(
      formed.every((e) => Object.keys(e.fields).length === 0 && (e as FormedEvent).storedFields !== undefined),
      'a formed event has given its fields object up for the stored text',
    );
    const main = ingest(events);
    const worker = ingest(formed);
    assertSameRows(main, worker);
    assertSignalsAsFromText(main, SIGNAL_REGISTRY);
    const withFields = main.db.prepare('SELECT count(*) FROM events WHERE fields IS NOT NULL').pluck().get() as number;
    assert.ok(withFields > 0, `${folder}: some events have fields`);
    if (folder !== 'audit-events') {
      const signals = main.db.prepare('SELECT count(*) FROM event_signals').pluck().get() as number;
      assert.ok(signals > 0, `${folder}: some lines state a signal`);
    }
    main.close();
    worker.close();
  }
});

test('odd fields: BigInts kept as text, empty fields stored as NULL, the same formed or not', () => {
  const events: KEvent[] = [
    makeEvent({ seq: 1, fields: { big: 12345678901234567890n, nested: { n: 3n, s: 'x' } } }),
    makeEvent({ seq: 2, fields: {} }),
    makeEvent({ seq: 3, fields: { missing: undefined, text: 'a "quoted"\nline', n: -0.5 } }),
    makeEvent({ seq: 4, component: 'kubelet', message: 'SyncLoop ADD', fields: { source: 'api', pods: ['default/web-1'] } }),
  ];
  assert.equal(fieldsJson(events[0]!.fields), '{"big":"12345678901234567890","nested":{"n":"3","s":"x"}}');
  assert.equal(fieldsJson(events[1]!.fields), null);
  assert.equal(fieldsJson(events[2]!.fields), '{"text":"a \\"quoted\\"\\nline","n":-0.5}');
  const formed = structuredClone(events);
  formEvents(formed, SIGNAL_REGISTRY);
  assert.deepEqual(
    formed.map((e) => storedFields(e)),
    events.map((e) => fieldsJson(e.fields)),
  );
  assertSameRows(ingest(events), ingest(structuredClone(formed)));
});

test('a formed event keeps the signals recognized on its worker, even where the writer would find none', () => {
  // The writer trusts the form: it does not match the line again (the worker recognized it with
  // the same registry). Here the form is made up, to show which one the store keeps.
  const e = makeEvent({ seq: 1, component: 'kubelet', message: 'nothing to see' }) as FormedEvent;
  e.storedFields = '{"k":"v"}';
  e.storedSignals = [['pod-ip', '{"ip":"10.0.0.1"}']];
  const store = ingest([e]);
  assert.deepEqual(rows(store, 'SELECT fields FROM events'), [['{"k":"v"}']]);
  assert.deepEqual(rows(store, 'SELECT signal, event_id, facts FROM event_signals'), [['pod-ip', 1, '{"ip":"10.0.0.1"}']]);
  // Formed without the registry: the writer recognizes the line itself.
  const plain = makeEvent({ seq: 1, component: 'kubelet', message: 'nothing to see' });
  formEvents([plain]);
  assert.equal((plain as FormedEvent).storedSignals, undefined);
  assert.deepEqual(rows(ingest([plain]), 'SELECT count(*) FROM event_signals'), [[0]]);
});

/** [1, <hole>, 3] */
function holey(): unknown[] {
  const a: unknown[] = [1];
  a[2] = 3;
  return a;
}

test('jsonExact: fields whose JSON text reads back as themselves, and those that do not', () => {
  for (const v of [{}, { a: 'x', n: 1.5, big: 1e21, t: true, z: null, s: '\ud800', nested: { list: [1, 'b', null, { c: [] }] } }, Object.assign(Object.create(null) as object, { a: 1 })]) {
    assert.ok(jsonExact(v), JSON.stringify(v));
    assert.deepEqual(JSON.parse(JSON.stringify(v)), { ...v });
  }
  for (const v of [{ u: undefined }, { n: NaN }, { i: -Infinity }, { z: -0 }, { b: 1n }, { d: new Date(0) }, { l: [1, undefined] }, { h: holey() }, { f: () => 1 }, { m: new Map() }]) {
    assert.equal(jsonExact(v), false, String(Object.keys(v)));
  }
  let deep: Record<string, unknown> = {};
  for (let i = 0; i < 40; i++) deep = { d: deep };
  assert.equal(jsonExact(deep), false, 'too deep to look through: parsed back instead');
});

test('a signal sees the fields a pass over the stored text would, whatever their values', () => {
  // A registry whose one signal states exactly the fields it was given (inspect tells undefined,
  // NaN, -0, a BigInt, a Date and a hole apart, where JSON would not).
  const echo: SignalRegistry = {
    components: ['kubelet'],
    names: new Set(['echo']),
    recognize: (e) => [{ name: 'echo', facts: { seen: inspect(e.fields, { depth: null }) } }],
  };
  const odd: Record<string, unknown>[] = [
    { plain: 'x', n: 2 },
    { u: undefined, keep: 'y' },
    { n: NaN, i: Infinity, z: -0 },
    { big: 12n, nested: { b: 3n } },
    { d: new Date(0), l: [1, undefined], h: holey() },
    {},
  ];
  const events = odd.map((fields, i) => makeEvent({ seq: i + 1, fields }));
  for (const formed of [false, true]) {
    const input = structuredClone(events.map((e) => ({ ...e, fields: { ...e.fields } })));
    if (formed) formEvents(input, echo);
    const store = ingest(input, echo);
    assert.equal(rows(store, SIGNALS_SQL).length, odd.length);
    assertSignalsAsFromText(store, echo);
    store.close();
  }
});
