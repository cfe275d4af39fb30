/**
 * Property: for random queries generated from the grammar and random events, the SQL clause over
 * the store and the predicate over the events select exactly the same events. Seeded, so a
 * failure names a query that fails again on every run.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compilePredicate } from '../../../src/query/compile-predicate.js';
import { compileSql } from '../../../src/query/compile-sql.js';
import { parseQuery } from '../../../src/query/parser.js';
import { StoreReader } from '../../../src/store/reader.js';
import { createWriter, openStore } from '../../../src/store/writer.js';
import { FILES, randomEvents, rng } from '../store/synthetic.js';
import { query } from './generate.js';

const EVENTS = 300;
const QUERIES = 400;

test('SQL and predicate select the same events for random queries', () => {
  const r = rng(20250321);
  const events = randomEvents(r, EVENTS);
  const range = { from: events[0]!.time, to: events[events.length - 1]!.time };
  const now = Math.floor((range.from + range.to) / 2);

  const store = openStore(':memory:');
  const writer = createWriter(store);
  const sources = new Map(FILES.map((f) => [f, writer.beginSource({ cluster: '', path: `/${f}`, display: f }).id]));
  writer.addMergedEvents(events, sources);
  writer.close();
  const reader = new StoreReader(store);

  let informative = 0;
  for (let i = 0; i < QUERIES; i++) {
    const q = query(r, range);
    let ast;
    try {
      ast = parseQuery(q);
    } catch (err) {
      assert.fail(`query #${i} does not parse: ${q}\n${String(err)}`);
    }
    const fromSql = reader.ids(compileSql(ast, { now })).sort((a, b) => a - b);
    const predicate = compilePredicate(ast, { now });
    const fromPredicate = events.filter(predicate).map((e) => e.seq);
    assert.deepEqual(fromSql, fromPredicate, `query #${i}: ${q}`);
    if (fromSql.length > 0 && fromSql.length < EVENTS) informative++;
  }
  // Guard against a generator that only ever selects everything or nothing.
  assert.ok(informative > QUERIES * 0.4, `only ${informative} of ${QUERIES} queries selected some but not all events`);
  store.close();
});
