/**
 * `ktrail sql` never writes: the store file is byte-identical after statements that would change
 * it (a journal mode switch, a checkpoint, DML), whether the store is given by --db alone or
 * brought up to date from PATHs first; reporting PRAGMAs still answer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath } from '../../helpers/paths.js';

const cli = cliPath();

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const digest = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

test('sql cannot change the store: PRAGMA writes and DML are refused, the file stays byte-identical', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-sql-'));
  try {
    const logs = join(dir, 'logs');
    mkdirSync(logs);
    writeFileSync(join(logs, 'kubelet.log'), 'I0321 14:51:25.000000    2689 kubelet.go:2468] "SyncLoop ADD" source="api" pods=["default/web-1"]\n');
    const db = join(dir, 'k.db');
    assert.equal(run(['ingest', logs, '--db', db]).status, 0);
    const before = digest(db);
    assert.equal(run(['sql', 'PRAGMA journal_mode', '--db', db]).stdout, 'journal_mode\nwal\n');

    const refused = [
      'PRAGMA journal_mode=DELETE',
      'pragma main.journal_mode = delete;',
      'PRAGMA /* sneaky */ journal_mode(DELETE)',
      'PRAGMA wal_checkpoint(TRUNCATE)',
      'PRAGMA wal_checkpoint',
      'PRAGMA user_version = 7',
      'PRAGMA query_only = OFF',
      'DELETE FROM events',
      'CREATE TABLE x (a)',
    ];
    for (const statement of refused) {
      for (const args of [['--db', db], [logs, '--db', db]]) {
        const r = run(['sql', statement, ...args]);
        assert.equal(r.status, 2, `${statement} ${args.join(' ')}: ${r.stdout}${r.stderr}`);
        assert.match(r.stderr, /^ktrail: sql: /);
        assert.equal(digest(db), before, `${statement} changed the store`);
      }
    }
    assert.equal(run(['sql', 'PRAGMA journal_mode', '--db', db]).stdout, 'journal_mode\nwal\n');
    const info = run(['sql', 'PRAGMA table_info(sources)', '--db', db]);
    assert.equal(info.status, 0, info.stderr);
    assert.match(info.stdout, /\tfingerprint\t/);
    const select = run(['sql', "SELECT name FROM pragma_table_info('events') WHERE name = 'raw'", '--db', db]);
    assert.equal(select.stdout, 'name\nraw\n');
    assert.equal(digest(db), before);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
