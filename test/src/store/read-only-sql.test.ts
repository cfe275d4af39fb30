/** The PRAGMA check of read-only SQL, and query_only on an in-memory store's own connection. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkPragma } from '../../../src/store/read-only-sql.js';
import { SqlRefusedError } from '../../../src/store/store.js';
import { openStore } from '../../../src/store/writer.js';

test('pragmas that act are refused by name; reporting ones pass', () => {
  for (const sql of [
    'PRAGMA journal_mode=DELETE',
    'PRAGMA "journal_mode" = WAL',
    'PRAGMA main.synchronous = OFF',
    'PRAGMA journal_mode(DELETE)',
    '-- comment\nPRAGMA optimize',
    'PRAGMA wal_checkpoint',
    'PRAGMA incremental_vacuum(5)',
    'PRAGMA writable_schema = 1',
    'PRAGMA',
  ]) {
    assert.throws(() => checkPragma(sql), SqlRefusedError, sql);
  }
  for (const sql of ['PRAGMA journal_mode', 'PRAGMA table_info(events)', 'pragma main.index_list("events");', 'SELECT 1', 'WITH x AS (SELECT 1) SELECT * FROM x']) {
    assert.doesNotThrow(() => checkPragma(sql), sql);
  }
});

test('an in-memory store: writes refused, then its connection writes again', () => {
  const store = openStore(':memory:');
  try {
    assert.throws(() => store.readOnlySql('DELETE FROM events'), SqlRefusedError);
    assert.throws(() => store.readOnlySql("INSERT INTO meta(key, value) VALUES ('x', 'y') RETURNING key"), /readonly|query_only|attempt to write/i);
    assert.deepEqual(store.readOnlySql('SELECT count(*) AS n FROM events'), { columns: ['n'], rows: [{ n: 0 }] });
    // query_only was the statement's, not the store's: the writer still works.
    store.db.prepare("INSERT INTO meta(key, value) VALUES ('x', 'y')").run();
  } finally {
    store.close();
  }
});
