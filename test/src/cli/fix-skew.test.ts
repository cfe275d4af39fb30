/**
 * `--fix-skew` on the store commands, run as a user runs them (the CLI in a subprocess): a real
 * capture whose nodes share one machine's clock is stored moved by milliseconds at most; a
 * simulated cluster with skewed clocks is stored moved, says so, and going back and forth between
 * fixed and as-read stores reads the files again; a pipe is refused.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { runSimulation } from '../../../src/sim/index.js';
import { corpus, corpusSkip, cliPath } from '../../helpers/paths.js';

const cli = cliPath();
const MS = 1000;

function ktrail(...args: string[]) {
  return spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

interface IngestSummary {
  ingested: number;
  events: number;
  clockShiftUs?: Record<string, number>;
}

function ingest(...args: string[]): { summary: IngestSummary; stderr: string } {
  const r = ktrail('ingest', '--json', ...args);
  assert.equal(r.status, 0, r.stderr);
  return { summary: JSON.parse(r.stdout) as IngestSummary, stderr: r.stderr };
}

/** Every stored event's time by its place in its source ("file:line"; a line can carry several events). */
function timesOf(db: string): Map<string, number[]> {
  const conn = new Database(db, { readonly: true });
  try {
    const rows = conn.prepare('SELECT s.display AS file, e.line AS line, e.time AS time FROM events e JOIN sources s ON s.id = e.source_id').all() as { file: string; line: number; time: number }[];
    const out = new Map<string, number[]>();
    for (const r of rows) {
      const key = `${r.file}:${r.line}`;
      out.set(key, [...(out.get(key) ?? []), r.time]);
    }
    for (const times of out.values()) times.sort((a, b) => a - b);
    return out;
  } finally {
    conn.close();
  }
}

test('failure-cases (four kind nodes on one machine): ingest --fix-skew moves no event by more than milliseconds', { skip: corpusSkip(), timeout: 300_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-fix-skew-real-'));
  try {
    const plain = ingest(corpus('failure-cases'), '--db', join(dir, 'plain.db'));
    const fixed = ingest(corpus('failure-cases'), '--db', join(dir, 'fixed.db'), '--fix-skew');
    assert.equal(plain.summary.clockShiftUs, undefined);
    // The nodes' own offsets against the scheduler, as stats shows them: a few ms each.
    const shifts = fixed.summary.clockShiftUs!;
    assert.deepEqual(Object.keys(shifts).sort(), ['kind-worker', 'kind-worker2', 'kind-worker3']);
    for (const [host, us] of Object.entries(shifts)) assert.ok(Math.abs(us) < 20 * MS, `${host} moved ${us} µs`);
    assert.match(fixed.stderr, /--fix-skew: kind-worker moved by [+-]?\d+ ms/);
    // Same events, each where it was to within those milliseconds.
    assert.equal(fixed.summary.events, plain.summary.events);
    const before = timesOf(join(dir, 'plain.db'));
    const after = timesOf(join(dir, 'fixed.db'));
    assert.equal(after.size, before.size);
    let moved = 0;
    for (const [key, times] of after) {
      const was = before.get(key);
      assert.equal(times.length, was?.length, `${key} stored in both`);
      times.forEach((t, i) => {
        assert.ok(Math.abs(t - was![i]!) < 20 * MS, `${key} moved ${t - was![i]!} µs`);
        if (t !== was![i]) moved++;
      });
    }
    assert.ok(moved > 0, 'the workers\' events were moved');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('ingest --fix-skew on a simulated cluster with skewed clocks: stored moved, recorded, and re-read when the flag changes', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-fix-skew-sim-'));
  try {
    await runSimulation({ scenario: 'healthy-rollout', seed: 1, out: dir, durationSec: 180, scale: 0.2, skewMs: 2000 });
    const bundle = join(dir, 'bundle');
    const db = join(dir, 'k.db');
    const fixed = ingest(bundle, '--db', db, '--fix-skew');
    const shifts = fixed.summary.clockShiftUs!;
    const far = Object.entries(shifts).filter(([, us]) => Math.abs(us) > 100 * MS);
    assert.ok(far.length >= 1, `a node is moved by more than 100 ms: ${JSON.stringify(shifts)}`);
    for (const [host] of far) assert.match(fixed.stderr, new RegExp(`--fix-skew: ${host} moved by `));
    // The same inputs and the same offsets: nothing to read again, and the store still says it.
    const again = ingest(bundle, '--db', db, '--fix-skew');
    assert.equal(again.summary.ingested, 0);
    assert.deepEqual(again.summary.clockShiftUs, shifts);
    // Without the flag the store must hold the events as read: every source is read again.
    const plain = ingest(bundle, '--db', db);
    assert.equal(plain.summary.ingested, fixed.summary.ingested);
    assert.equal(plain.summary.clockShiftUs, undefined);
    // A reader over the moved store: the text summary names the hosts.
    const text = ktrail('ingest', bundle, '--db', db, '--fix-skew');
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, new RegExp(`clocks fixed: .*${far[0]![0]} [+-]`));
    const incidents = ktrail('incidents', bundle, '--db', db, '--fix-skew', '-o', 'json');
    assert.equal(incidents.status, 0, incidents.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('ingest --fix-skew refuses a pipe (it reads the inputs twice)', () => {
  const r = spawnSync(process.execPath, [cli, 'ingest', '-', '--fix-skew'], { input: 'I0321 14:51:23.000001       1 x.go:1] "a"\n', encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--fix-skew reads the inputs twice/);
});
