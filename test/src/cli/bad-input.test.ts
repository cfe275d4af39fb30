/**
 * Bad input never crashes ktrail and never costs the other inputs anything: random bytes, a
 * truncated gzip, a 10 MiB line, a missing file and an unreadable directory each get a message
 * naming the file, the exit status says so, and the good file is still fully processed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { cliPath } from '../../helpers/paths.js';
import { requireOrSkip } from '../../helpers/require.js';

const cli = cliPath();

function klogLines(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += `I0321 14:51:${String(i % 60).padStart(2, '0')}.000001       1 kubelet.go:2468] "SyncLoop UPDATE" source="api" pods=["default/web-${i}"]\n`;
  return s;
}

/** True when we are root and the checkout is readable by nobody (it is not under /root, say). */
function canRunAsNobody(): boolean {
  if (process.getuid?.() !== 0) return false;
  const probe = spawnSync(process.execPath, [cli, '--version'], { uid: 65534, gid: 65534, encoding: 'utf8' });
  return probe.status === 0;
}

/**
 * A permission error can only be caused by a user the permission bits bind: not root. As root the
 * test runs ktrail as nobody, which needs the checkout readable by nobody.
 */
const permissionSkip = requireOrSkip(
  'a user that permission bits bind (not root, or root able to run ktrail as nobody)',
  process.getuid?.() !== 0 || canRunAsNobody(),
  'run the tests as a normal user, or from a checkout that nobody can read',
);

test('bad inputs are reported by name and the rest is still processed', { skip: permissionSkip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-bad-'));
  chmodSync(dir, 0o755);
  try {
    writeFileSync(join(dir, 'good.log'), klogLines(100));
    writeFileSync(join(dir, 'random.bin'), randomBytes(64 * 1024));
    const gz = gzipSync(Buffer.from(klogLines(5000)));
    writeFileSync(join(dir, 'truncated.log.gz'), gz.subarray(0, Math.floor(gz.length / 2)));
    writeFileSync(join(dir, 'huge.log'), 'x'.repeat(10 * 1024 * 1024) + '\n' + klogLines(3));
    const locked = join(dir, 'locked');
    mkdirSync(locked);
    writeFileSync(join(locked, 'kubelet.log'), klogLines(1));
    chmodSync(locked, 0o000);
    for (const f of ['good.log', 'random.bin', 'truncated.log.gz', 'huge.log']) chmodSync(join(dir, f), 0o644);

    const inputs = ['good.log', 'random.bin', 'truncated.log.gz', 'huge.log', 'missing.log', 'locked'].map((f) => join(dir, f));
    // Root reads anything: run as nobody, so that the locked directory is really locked (the test
    // is skipped, or fails under CI, where that cannot be done: see permissionSkip).
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const r = spawnSync(process.execPath, [cli, 'stats', '--json', ...inputs], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
      ...asNobody,
    });
    assert.equal(r.status, 1, `exit status ${r.status}, stderr: ${r.stderr}`);
    assert.match(r.stderr, /missing\.log: .*(no such file|ENOENT)/i);
    assert.match(r.stderr, /truncated\.log\.gz: .*(gzip|unexpected end)/i);
    assert.match(r.stderr, /locked: .*(permission denied|EACCES)/i);
    assert.match(r.stderr, /random\.bin: /);
    assert.doesNotMatch(r.stderr, /at .*\.js:\d+/, 'no stack trace');

    const report = JSON.parse(r.stdout) as {
      sources: { file: string; events: number; linesRead: number; truncatedLines: number }[];
      totals: { balanced: boolean };
    };
    const byName = (n: string) => report.sources.find((s) => s.file.endsWith(n));
    assert.equal(byName('good.log')?.events, 100);
    assert.ok((byName('truncated.log.gz')?.events ?? 0) > 0, 'lines before the truncation are kept');
    const huge = byName('huge.log')!;
    assert.equal(huge.linesRead, 4);
    assert.equal(huge.truncatedLines, 1);
    assert.ok(report.totals.balanced);
  } finally {
    try {
      chmodSync(join(dir, 'locked'), 0o755);
    } catch {
      // already gone
    }
    rmSync(dir, { recursive: true, force: true });
  }
});
