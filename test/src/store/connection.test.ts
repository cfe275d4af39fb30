/**
 * openStore's preferReadonly (what trace opens with): a current store is read read-only, with no
 * write lock and the file untouched; a store that needs a writer first (a killed bulk ingest's
 * indexes) is opened as one and finished.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lockHolder, lockPath } from '../../../src/store/lock.js';
import { beginBulkIngest, bulkIngestPending, INGEST_INDEXES } from '../../../src/store/schema.js';
import { openStore } from '../../../src/store/writer.js';

const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');
const indexes = (store: ReturnType<typeof openStore>): string[] =>
  store.db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'index' AND name NOT LIKE 'sqlite_%'`).pluck().all() as string[];

test('preferReadonly: a current store opens read-only, takes no lock and is left byte-identical', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-open-'));
  try {
    const file = join(dir, 'k.db');
    openStore(file).close();
    const before = sha(file);
    const store = openStore(file, { preferReadonly: true });
    try {
      assert.equal(store.db.readonly, true);
      assert.equal(lockHolder(file), undefined);
      assert.ok(!existsSync(lockPath(file)));
      assert.equal(store.objects.count(), 0);
      assert.throws(() => store.db.exec(`INSERT INTO meta(key, value) VALUES ('x', 'y')`), /readonly/);
    } finally {
      store.close();
    }
    assert.equal(sha(file), before);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('preferReadonly: a store a bulk ingest left unfinished is opened as a writer and finished', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-open-'));
  try {
    const file = join(dir, 'k.db');
    const killed = openStore(file);
    beginBulkIngest(killed.db); // drops the ingest indexes and sets the flag, as a run killed mid-ingest leaves them
    killed.close();

    const store = openStore(file, { preferReadonly: true });
    try {
      assert.equal(store.db.readonly, false);
      assert.equal(lockHolder(file)?.pid, process.pid, 'a writer holds the lock');
      assert.equal(bulkIngestPending(store.db), false);
      for (const name of Object.keys(INGEST_INDEXES)) assert.ok(indexes(store).includes(name), name);
    } finally {
      store.close();
    }
    assert.equal(lockHolder(file), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a file store's sorts spill to temp files (temp_store FILE), not the process's memory; a store in memory keeps them in memory", () => {
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-open-'));
  try {
    const store = openStore(join(dir, 'k.db'));
    try {
      assert.equal(store.db.pragma('temp_store', { simple: true }), 1);
    } finally {
      store.close();
    }
    const readonly = openStore(join(dir, 'k.db'), { preferReadonly: true });
    try {
      assert.equal(readonly.db.pragma('temp_store', { simple: true }), 1);
    } finally {
      readonly.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const memory = openStore(':memory:');
  assert.equal(memory.db.pragma('temp_store', { simple: true }), 2);
  memory.close();
});
