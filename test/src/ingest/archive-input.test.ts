/**
 * Archives given to the reading commands (src/ingest/archive-input.ts), read as users read them
 * (openEventStream, as `ktrail`, `ktrail stats` and `ktrail ci` do): a .tar.zst gives the events
 * the .tar.gz of the same tree gives, and a damaged one is named while the rest is read.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KEvent } from '../../../src/model/event.js';
import { corpus, corpusSkip, cliPath } from '../../helpers/paths.js';
import { readAll } from '../../helpers/read-events.js';
import { requireExecutable } from '../../helpers/require.js';

const zstd = requireExecutable('zstd', 'zstd');

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-archive-input-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** What a user sees of an event, with the archive's own name taken out of its source. */
function seen(events: readonly KEvent[], archive: string): unknown[] {
  return events
    .map((e) => ({ ...e, seq: 0, source: { ...e.source, file: e.source.file.replace(archive, 'ARCHIVE') } }))
    .sort((a, b) => (a.source.file + a.source.line < b.source.file + b.source.line ? -1 : 1));
}

test('a .tar.zst of a real bundle gives the same events as its .tar.gz', { skip: corpusSkip() || zstd.skip }, async (t) => {
  const dir = tempDir(t);
  const tgz = join(dir, 'kind.tar.gz');
  const tzst = join(dir, 'kind.tar.zst');
  execFileSync('tar', ['-czf', tgz, '-C', corpus(), 'kind-1.32-bundle']);
  // GNU tar's own zstd support (it runs the system zstd), as people make them.
  execFileSync('tar', ['--zstd', '-cf', tzst, '-C', corpus(), 'kind-1.32-bundle']);
  assert.equal(readFileSync(tzst).readUInt32LE(0), 0xfd2fb528, 'a zstd frame');
  const gz = await readAll(tgz);
  const zst = await readAll(tzst);
  assert.deepEqual(zst.errors, []);
  assert.ok(gz.events.length > 1000, `${gz.events.length} events`);
  assert.deepEqual(seen(zst.events, 'kind.tar.zst'), seen(gz.events, 'kind.tar.gz'));
  const named = (x: unknown, archive: string): string => JSON.stringify(x).replaceAll(archive, 'ARCHIVE');
  assert.equal(named(zst.stats, 'kind.tar.zst'), named(gz.stats, 'kind.tar.gz'));
});

test('a truncated .tar.zst and a garbage one beside a log: each named with the cause, the entries before the damage and the log still read', { skip: zstd.skip }, async (t) => {
  const dir = tempDir(t);
  const src = join(dir, 'src');
  const bundle = join(dir, 'bundle');
  execFileSync('mkdir', ['-p', src, bundle]);
  const klog = (n: number): string => `I0321 14:51:23.${String(n).padStart(6, '0')}       1 controller.go:42] "Synced" n=${n}\n`;
  writeFileSync(join(src, 'a-kube-scheduler.log'), klog(1) + klog(2));
  // Big and varied enough that the cut lands inside it, well past a-kube-scheduler.log.
  writeFileSync(join(src, 'b-kube-scheduler.log'), Array.from({ length: 50_000 }, (_, i) => klog(i * 7919)).join(''));
  const whole = join(dir, 'whole.tar.zst');
  execFileSync('tar', ['--zstd', '-cf', whole, '-C', src, 'a-kube-scheduler.log', 'b-kube-scheduler.log']);
  const bytes = readFileSync(whole);
  writeFileSync(join(bundle, 'cut.tar.zst'), bytes.subarray(0, Math.floor(bytes.length * 0.6)));
  writeFileSync(join(bundle, 'garbage.tar.zst'), 'this is not zstd at all\n'.repeat(100));
  writeFileSync(join(bundle, 'kube-scheduler.log'), klog(3));

  const { events, errors } = await readAll(bundle);
  const lines = (file: string): number => events.filter((e) => e.source.file === file).length;
  assert.equal(lines('kube-scheduler.log'), 1, 'the plain log is read');
  assert.equal(lines('cut.tar.zst/a-kube-scheduler.log'), 2, 'the entry before the cut is read whole');
  assert.ok(lines('cut.tar.zst/b-kube-scheduler.log') === 0, 'the entry the cut lands in is not read in part');
  assert.equal(errors.length, 3, errors.join('\n'));
  assert.ok(errors.includes('cut.tar.zst: the archive is damaged or unreadable past this point: the zstd data ends in the middle of a frame (cut short?)'), errors.join('\n'));
  assert.ok(errors.some((e) => /^cut\.tar\.zst: refused archive entry "b-kube-scheduler\.log": /.test(e)), 'the entry cut short is named');
  assert.match(errors.find((e) => e.startsWith('garbage.tar.zst'))!, /^garbage\.tar\.zst: the archive is damaged or unreadable past this point: Unknown frame descriptor$/);
});

test('SIGTERM, SIGINT or SIGHUP while an archive is read: its extracted copy is removed, and the process still dies by the signal', async (t) => {
  const dir = tempDir(t);
  const src = join(dir, 'src');
  mkdirSync(src);
  // Far more output than a pipe holds: with nobody reading its stdout, ktrail waits, archive extracted.
  writeFileSync(join(src, 'kube-scheduler.log'), Array.from({ length: 20_000 }, (_, i) => `I0321 14:51:23.000001       1 controller.go:42] "Synced" n=${i}\n`).join(''));
  const archive = join(dir, 'bundle.tar.gz');
  execFileSync('tar', ['-czf', archive, '-C', src, 'kube-scheduler.log']);
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    const tmp = join(dir, `tmp-${signal}`);
    mkdirSync(tmp);
    const child = spawn(process.execPath, [cliPath(), archive], { env: { ...process.env, TMPDIR: tmp }, stdio: ['ignore', 'pipe', 'ignore'] });
    const ended = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
    // The first output means the archive is extracted and being read; stdout is then left unread.
    await new Promise((resolve) => child.stdout.once('data', resolve));
    child.stdout.pause();
    assert.equal(readdirSync(tmp).filter((f) => f.startsWith('ktrail-archive-')).length, 1, 'the archive is extracted under TMPDIR');
    child.kill(signal);
    assert.equal(await ended, signal);
    assert.deepEqual(readdirSync(tmp), [], `${signal}: the extracted copy is gone`);
  }
});
