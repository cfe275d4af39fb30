/**
 * --db pointing at something that cannot be a store: a folder, a FIFO or device, a file that is no
 * SQLite database, a place where nothing can be created. Each gets one line naming the file and
 * the cause, exit 2, and no stack trace (before src/cli/open-db.ts, each was a SqliteError or
 * EACCES/ENOENT trace, and a FIFO a wait for good).
 * And the advice a reader gives for an interrupted ingest names files that still exist.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../../src/store/writer.js';
import { cliPath } from '../../helpers/paths.js';

const cli = cliPath();

function run(args: string[], cwd: string): { code: number | null; stderr: string; stdout: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stderr: r.stderr, stdout: r.stdout };
}

/**
 * Each command ends at once with exit 2 and exactly its one line on stderr. run()'s timeout ends
 * a command that waits instead: its status is then null, not 2.
 */
function assertRefused(cases: readonly (readonly [args: string[], stderr: string])[], cwd: string): void {
  for (const [args, stderr] of cases) {
    const r = run(args, cwd);
    assert.deepEqual([r.code, r.stderr], [2, stderr], args.join(' '));
  }
}

test('--db that cannot be a store: one line with the cause, exit 2, the file left as it was', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-open-db-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'kubelet.log'), 'I0321 14:51:23.000001       1 kubelet.go:42] "Synced"\n');
  mkdirSync(join(dir, 'folder'));
  const notDb = 'not a database, just text\n'.repeat(10);
  writeFileSync(join(dir, 'notes.db'), notDb);

  const cases: [string[], string][] = [
    [['ingest', 'kubelet.log', '--db', 'folder'], 'ktrail: --db folder: is a folder, not a store file (give a file name inside it)\n'],
    [['incidents', '--db', 'folder'], 'ktrail: --db folder: is a folder, not a store file (give a file name inside it)\n'],
    [['ingest', 'kubelet.log', '--db', 'notes.db'], 'ktrail: --db notes.db: not a ktrail store (the file is not an SQLite database)\n'],
    [['trace', 'pod/default/x', '--db', 'notes.db'], 'ktrail: --db notes.db: not a ktrail store (the file is not an SQLite database)\n'],
    [['ci', 'kubelet.log', '--db', 'notes.db'], 'ktrail ci: --db notes.db: not a ktrail store (the file is not an SQLite database)\n'],
    // Nothing can be created in /proc, root or not.
    [['ingest', 'kubelet.log', '--db', '/proc/ktrail.db'], 'ktrail: --db /proc/ktrail.db: cannot open the store: no such file or directory (ENOENT)\n'],
  ];
  assertRefused(cases, dir);
  assert.equal(readFileSync(join(dir, 'notes.db'), 'utf8'), notDb, 'the file that is no store is left untouched');
});

test('--db a FIFO or a device: refused at once with what it is, for readers and writers alike (a reader used to wait for good on a FIFO)', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-open-db-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'kubelet.log'), 'I0321 14:51:23.000001       1 kubelet.go:42] "Synced"\n');
  const made = spawnSync('mkfifo', [join(dir, 'store.fifo')]);
  assert.equal(made.status, 0, `mkfifo: ${made.stderr}`);
  const cases: [string[], string][] = [
    [['trace', 'pod/default/x', '--db', 'store.fifo'], 'ktrail: --db store.fifo: is a pipe (FIFO), not a store file\n'],
    [['incidents', '--db', 'store.fifo'], 'ktrail: --db store.fifo: is a pipe (FIFO), not a store file\n'],
    [['sql', 'SELECT 1', '--db', 'store.fifo'], 'ktrail: --db store.fifo: is a pipe (FIFO), not a store file\n'],
    [['ingest', 'kubelet.log', '--db', 'store.fifo'], 'ktrail: --db store.fifo: is a pipe (FIFO), not a store file\n'],
    [['trace', 'pod/default/x', '--db', '/dev/null'], 'ktrail: --db /dev/null: is a device, not a store file\n'],
    [['ingest', 'kubelet.log', '--db', '/dev/null'], 'ktrail: --db /dev/null: is a device, not a store file\n'],
  ];
  assertRefused(cases, dir);
});

test('an ingest of an archive interrupted (Ctrl-C): the reader says to ingest the archive again, not its extracted copy, which is gone', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-open-db-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const db = join(dir, 'k.db');
  // What an ingest of bundle.tar.gz leaves when it is interrupted: a source begun, never completed,
  // read from the archive's temporary extraction folder (removed since), named inside the archive.
  const store = openStore(db);
  store.db
    .prepare('INSERT INTO sources (path, display, complete) VALUES (?, ?, 0)')
    .run('/tmp/ktrail-archive-Ab12Cd/bundle/kind-worker/kubelet.log', '/home/me/bundle.tar.gz/bundle/kind-worker/kubelet.log');
  store.close();
  const r = run(['incidents', '--db', db], dir);
  assert.equal(r.code, 1);
  assert.equal(
    r.stderr,
    `ktrail: ${db}: the store is incomplete: the ingest of /home/me/bundle.tar.gz/bundle/kind-worker/kubelet.log was interrupted; complete it with: ktrail ingest /home/me/bundle.tar.gz --db ${db}\n`,
  );
});
