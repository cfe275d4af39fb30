import assert from 'node:assert/strict';
import { test } from 'node:test';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename } from 'node:path';
import { addonAt, openSqliteFile } from '../../../src/store/sqlite-file.js';

test('the addon is named by its path where the install put it, and a store opens through it', () => {
  const path = addonAt(createRequire(import.meta.url).resolve);
  assert.ok(path !== null && existsSync(path) && basename(path) === 'better_sqlite3.node', String(path));
  const db = openSqliteFile(':memory:');
  try {
    assert.deepEqual(db.prepare('SELECT 40 + 2 AS n').get(), { n: 42 });
  } finally {
    db.close();
  }
});

test('an install without build/Release gives no path, so better-sqlite3 searches for its addon itself', () => {
  const missing = (id: string): string => {
    throw Object.assign(new Error(`Cannot find module '${id}'`), { code: 'MODULE_NOT_FOUND' });
  };
  assert.equal(addonAt(missing), null);
});
