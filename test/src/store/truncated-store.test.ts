/**
 * A store file truncated by another program while a reader is in the middle of a statement (a
 * `cp` over the store, a full disk): the reader reports an error and exits by itself. With the
 * file mapped into memory (mmap_size) it was killed by SIGBUS instead (connection.ts says why
 * readers read page by page).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '../../../src/store/writer.js';

const child = join(dirname(fileURLToPath(import.meta.url)), 'truncated-read-child.js');

test('a store truncated under a reader mid-statement: an error the reader reports, never a crash', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-truncated-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'k.db');
  const store = openStore(file);
  // ~20 MB of rows, far more than the reader's first pages, all checkpointed into the file.
  store.db.exec('CREATE TABLE grow (n INTEGER PRIMARY KEY, text TEXT NOT NULL)');
  const insert = store.db.prepare('INSERT INTO grow (text) VALUES (?)');
  store.db.transaction(() => {
    for (let i = 0; i < 20_000; i++) insert.run(`row ${i} `.padEnd(1000, 'x'));
  })();
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  store.close();

  const reader = spawn(process.execPath, [child, file], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  reader.stderr.on('data', (d: Buffer) => (err += d.toString()));
  reader.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    if (out === 'truncate now\n') {
      truncateSync(file, 1024 * 1024);
      reader.stdin.end('go\n');
    }
  });
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => reader.on('close', (c, s) => resolve([c, s])));
  assert.deepEqual([code, signal], [0, null], `the reader ended by ${signal ?? `exit ${code}`}: ${err}`);
  assert.match(out, /^truncate now\nerror SQLITE_(CORRUPT|IOERR\w*)\n$/);
});
