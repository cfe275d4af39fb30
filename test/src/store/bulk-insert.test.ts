import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { BulkInsert, ROWS_PER_STATEMENT, type Column } from '../../../src/store/bulk-insert.js';

type Row = { id: number; text: string | null };
const COLUMNS: readonly Column<Row>[] = [
  ['id', (r) => r.id],
  ['text', (r) => r.text],
];

function table(): Database.Database {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, text TEXT)');
  return db;
}

test('every row is written once, in order, whether or not it fills a whole statement', () => {
  for (const n of [0, 1, ROWS_PER_STATEMENT - 1, ROWS_PER_STATEMENT, ROWS_PER_STATEMENT + 1, 2 * ROWS_PER_STATEMENT + 37]) {
    const db = table();
    const ins = new BulkInsert(db, 't', COLUMNS);
    const rows: Row[] = Array.from({ length: n }, (_, i) => ({ id: i + 1, text: i % 3 === 0 ? null : `row ${i}` }));
    db.transaction(() => {
      for (const r of rows) ins.add(r);
      ins.flush();
    })();
    assert.deepEqual(db.prepare('SELECT id, text FROM t ORDER BY id').all(), rows, `${n} rows`);
    // A second flush with nothing queued writes nothing more.
    ins.flush();
    assert.equal(db.prepare('SELECT count(*) FROM t').pluck().get(), n);
  }
});

test('rows of a full statement are written as soon as it fills; the rest wait for flush', () => {
  const db = table();
  const ins = new BulkInsert(db, 't', COLUMNS);
  for (let i = 1; i <= ROWS_PER_STATEMENT + 5; i++) ins.add({ id: i, text: 'x' });
  assert.equal(db.prepare('SELECT count(*) FROM t').pluck().get(), ROWS_PER_STATEMENT);
  ins.flush();
  assert.equal(db.prepare('SELECT count(*) FROM t').pluck().get(), ROWS_PER_STATEMENT + 5);
});

test('INSERT OR IGNORE keeps the first of two rows with the same key, within a statement and across', () => {
  const db = table();
  const ins = new BulkInsert(db, 't', COLUMNS, { verb: 'INSERT OR IGNORE', rowsPerStatement: 4 });
  for (const [id, text] of [[1, 'a'], [1, 'b'], [2, 'c'], [3, 'd'], [2, 'e'], [4, 'f'], [1, 'g']] as const) ins.add({ id, text });
  ins.flush();
  assert.deepEqual(db.prepare('SELECT id, text FROM t ORDER BY id').all(), [
    { id: 1, text: 'a' },
    { id: 2, text: 'c' },
    { id: 3, text: 'd' },
    { id: 4, text: 'f' },
  ]);
});

test('a plain INSERT fails on a duplicate key instead of dropping the row', () => {
  const db = table();
  const ins = new BulkInsert(db, 't', COLUMNS, { rowsPerStatement: 2 });
  ins.add({ id: 1, text: 'a' });
  assert.throws(() => ins.add({ id: 1, text: 'b' }), /UNIQUE constraint failed/);
});

test('a wide table gets fewer rows per statement, within SQLite\'s parameter limit', () => {
  const db = new Database(':memory:');
  const width = 1000;
  const names = Array.from({ length: width }, (_, i) => `c${i}`);
  db.exec(`CREATE TABLE w (${names.join(', ')})`);
  const columns: Column<number>[] = names.map((n, i) => [n, (r: number) => r * width + i]);
  const ins = new BulkInsert(db, 'w', columns);
  for (let r = 0; r < 70; r++) ins.add(r);
  ins.flush();
  assert.equal(db.prepare('SELECT count(*) FROM w').pluck().get(), 70);
  assert.equal(db.prepare('SELECT c999 FROM w WHERE c0 = ?').pluck().get(69 * width), 69 * width + 999);
});
