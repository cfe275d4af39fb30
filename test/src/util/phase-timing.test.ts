import assert from 'node:assert/strict';
import { test } from 'node:test';
import { phaseLine, startPhase, timePhase } from '../../../src/util/phase-timing.js';

function withPhases<T>(value: string | undefined, fn: () => T): T {
  const before = process.env.KTRAIL_PHASES;
  if (value === undefined) delete process.env.KTRAIL_PHASES;
  else process.env.KTRAIL_PHASES = value;
  try {
    return fn();
  } finally {
    if (before === undefined) delete process.env.KTRAIL_PHASES;
    else process.env.KTRAIL_PHASES = before;
  }
}

test('a phase line gives wall and CPU seconds, and RSS and heap in MB', () => {
  assert.equal(
    phaseLine('link', 6810.4, 6_740_000, 301 * 2 ** 20, 455.4 * 2 ** 20, 179.6 * 2 ** 20),
    'ktrail phase link: wall 6.81 s, cpu 6.74 s, rss 301 MB, peak 455 MB, heap 180 MB\n',
  );
});

test('with KTRAIL_PHASES set, a phase writes one line when it ends, with the CPU it used', () => {
  const lines: string[] = [];
  withPhases('1', () => {
    const end = startPhase('spin', (l) => lines.push(l));
    assert.deepEqual(lines, [], 'nothing before the end');
    // Burn 30 ms of this process's CPU (not of wall time: the machine may be busy) and let 30 ms
    // pass: the process's CPU counts every thread (GC helpers), so it can outrun the wall clock.
    const from = process.cpuUsage();
    const since = performance.now();
    for (let used = 0; used < 30_000 || performance.now() - since < 30; ) {
      const d = process.cpuUsage(from);
      used = d.user + d.system;
    }
    end();
  });
  assert.equal(lines.length, 1);
  const m = /^ktrail phase spin: wall (\d+\.\d\d) s, cpu (\d+\.\d\d) s, rss (\d+) MB, peak (\d+) MB, heap (\d+) MB\n$/.exec(lines[0]!);
  assert.ok(m, lines[0]);
  assert.ok(Number(m[1]) >= 0.03 && Number(m[2]) >= 0.03, lines[0]);
  assert.ok(Number(m[4]) >= Number(m[3]) && Number(m[3]) > 0, 'peak is at least the RSS now');
  assert.ok(Number(m[5]) > 0 && Number(m[5]) <= Number(m[3]), 'the heap is within the RSS');
});

test('without KTRAIL_PHASES (or set to 0), nothing is written and the work still runs', () => {
  for (const value of [undefined, '', '0']) {
    const lines: string[] = [];
    withPhases(value, () => startPhase('quiet', (l) => lines.push(l))());
    assert.deepEqual(lines, [], `KTRAIL_PHASES=${value}`);
    assert.equal(withPhases(value, () => timePhase('quiet', () => 42)), 42);
  }
});

test('timePhase ends its phase when the work throws, and passes the error on', () => {
  assert.throws(() => withPhases(undefined, () => timePhase('fails', () => {
    throw new Error('boom');
  })), /boom/);
});

test('under --expose-gc, a phase collects before it reads the heap (what it left held, not its garbage)', () => {
  const g = globalThis as { gc?: () => void };
  const had = g.gc;
  let collected = 0;
  g.gc = () => void collected++;
  try {
    const lines: string[] = [];
    withPhases('1', () => startPhase('x', (l) => lines.push(l))());
    assert.equal(collected, 1);
    assert.equal(lines.length, 1);
    withPhases(undefined, () => startPhase('y', (l) => lines.push(l))());
    assert.equal(collected, 1, 'not when timing is off');
  } finally {
    if (had) g.gc = had;
    else delete g.gc;
  }
});
