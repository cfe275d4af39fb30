/** The store's write lock: held per process and counted, a live holder named, a dead one's lock taken over. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireWriteLock, lockHolder, lockPath, StoreLockedError } from '../../../src/store/lock.js';
import { openStore } from '../../../src/store/writer.js';

test('one process may take the lock twice; it goes when the last holder releases it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-lock-'));
  try {
    const db = join(dir, 'k.db');
    const a = openStore(db);
    const b = openStore(db);
    assert.equal(JSON.parse(readFileSync(lockPath(db), 'utf8')).pid, process.pid);
    assert.equal(lockHolder(db)?.pid, process.pid);
    a.close();
    assert.ok(existsSync(lockPath(db)), 'still held by the second open');
    b.close();
    b.close(); // idempotent: does not release a lock taken later
    assert.ok(!existsSync(lockPath(db)));
    assert.equal(lockHolder(db), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a live holder is named (escapes neutralized); a dead holder\'s lock is taken over', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-lock-'));
  const sleeper = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  try {
    const db = join(dir, 'k.db');
    writeFileSync(lockPath(db), JSON.stringify({ pid: sleeper.pid, command: 'ktrail ingest \u001b[31mx', since: '2026-01-01T00:00:00.000Z' }));
    assert.throws(
      () => acquireWriteLock(db),
      (err: unknown) =>
        err instanceof StoreLockedError &&
        err.holder.pid === sleeper.pid &&
        err.message.includes(`pid ${sleeper.pid}`) &&
        err.message.includes('since 2026-01-01T00:00:00.000Z') &&
        !err.message.includes('\u001b'),
    );
    assert.throws(() => openStore(db), StoreLockedError, 'openStore for writing takes the lock first');

    // A process that has exited leaves its lock behind (SIGKILL): the next writer takes it over.
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(lockPath(db), JSON.stringify({ pid: Number(gone.stdout), command: 'ktrail ingest', since: 'then' }));
    const release = acquireWriteLock(db);
    assert.equal(JSON.parse(readFileSync(lockPath(db), 'utf8')).pid, process.pid);
    release();
    assert.ok(!existsSync(lockPath(db)));
  } finally {
    sleeper.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});
