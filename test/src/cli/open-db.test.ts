/**
 * --db pointing at something that cannot be a store: a folder, a file that is no SQLite database,
 * a place where nothing can be created. Each gets one line naming the file and the cause, exit 2,
 * and no stack trace (before src/cli/open-db.ts, each was a SqliteError or EACCES/ENOENT trace).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../helpers/paths.js';

const cli = join(repoRoot, 'dist', 'src', 'cli', 'main.js');

function run(args: string[], cwd: string): { code: number | null; stderr: string; stdout: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stderr: r.stderr, stdout: r.stdout };
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
  for (const [args, stderr] of cases) {
    const r = run(args, dir);
    assert.deepEqual([r.code, r.stderr], [2, stderr], args.join(' '));
  }
  assert.equal(readFileSync(join(dir, 'notes.db'), 'utf8'), notDb, 'the file that is no store is left untouched');
});
