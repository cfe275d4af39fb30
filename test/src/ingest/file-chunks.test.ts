/**
 * Reading many files at once through a bounded set of handles (src/ingest/file-chunks.ts): the
 * bytes are the file's, the handles open never pass the bound, a file replaced between two reads
 * is reported, a FIFO is read in order, and the CLI reads a folder of more files than it may open.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileChunks, HandlePool } from '../../../src/ingest/file-chunks.js';
import { cliPath } from '../../helpers/paths.js';

const cli = cliPath();

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-chunks-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('40 files read turn by turn (as the merge reads them) through 3 handles: every byte, never more than 3 open', async (t) => {
  const dir = tempDir(t);
  const pool = new HandlePool(3);
  const want: string[] = [];
  const readers = Array.from({ length: 40 }, (_, i) => {
    const text = `file ${i}: ` + 'abcdefghij'.repeat(i % 5) + '\n';
    want.push(text);
    writeFileSync(join(dir, `f${i}.log`), text);
    return fileChunks(join(dir, `f${i}.log`), 8, pool);
  });
  const got = readers.map(() => [] as Buffer[]);
  let most = 0;
  for (let live = readers.length; live > 0; ) {
    live = 0;
    for (let i = 0; i < readers.length; i++) {
      const next = await readers[i]!.next();
      most = Math.max(most, pool.size);
      if (next.done) continue;
      got[i]!.push(next.value);
      live++;
    }
  }
  assert.deepEqual(
    got.map((parts) => Buffer.concat(parts).toString()),
    want,
  );
  assert.ok(most <= 3, `${most} handles open at once`);
  assert.equal(pool.size, 0, 'every handle is closed at the end');
});

test('a file replaced while its handle was lent to another file is reported, not read from the middle of the new one', async (t) => {
  const dir = tempDir(t);
  const pool = new HandlePool(1);
  writeFileSync(join(dir, 'a.log'), 'aaaaaaaa-first-half|second-half\n');
  writeFileSync(join(dir, 'b.log'), 'bbbbbbbb\n');
  const a = fileChunks(join(dir, 'a.log'), 8, pool);
  const b = fileChunks(join(dir, 'b.log'), 8, pool);
  assert.equal(String((await a.next()).value), 'aaaaaaaa');
  assert.equal(String((await b.next()).value), 'bbbbbbbb'); // a's handle was closed for b's
  writeFileSync(join(dir, 'new.log'), 'a different file altogether\n');
  renameSync(join(dir, 'new.log'), join(dir, 'a.log'));
  await assert.rejects(a.next(), /^Error: the file was replaced while it was read \(after 8 bytes\)$/);
  await b.return(undefined);
  assert.equal(pool.size, 0);
});

test('a FIFO given by name is read in order through its handle', async (t) => {
  const dir = tempDir(t);
  const fifo = join(dir, 'pipe');
  execFileSync('mkfifo', [fifo]);
  const writer = spawn('sh', ['-c', `printf 'one\\ntwo\\n' > "${fifo}"`]);
  const closed = new Promise((resolve) => writer.on('close', resolve));
  const parts: Buffer[] = [];
  for await (const chunk of fileChunks(fifo, 1024, new HandlePool(2))) parts.push(chunk);
  await closed;
  assert.equal(Buffer.concat(parts).toString(), 'one\ntwo\n');
});

test('the CLI reads a folder of 400 logs under `ulimit -n 64`: every line, no EMFILE', (t) => {
  const dir = tempDir(t);
  for (let i = 0; i < 400; i++) writeFileSync(join(dir, `f${i}.log`), `I0321 14:51:23.${String(i).padStart(6, '0')}       1 controller.go:42] "Synced" n=${i}\n`);
  // Before the bounded handles, each source held a stream open until merged: EMFILE past ~50 files.
  const run = spawnSync('sh', ['-c', 'ulimit -n 64 && exec "$0" "$1" -o raw "$2"', process.execPath, cli, dir], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(run.stderr, '');
  assert.equal(run.status, 0);
  assert.equal(run.stdout.trim().split('\n').length, 400);
});
