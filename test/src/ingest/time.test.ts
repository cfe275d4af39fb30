import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEventStream } from '../../../src/ingest/run.js';
import { resolveTime } from '../../../src/ingest/time.js';
import type { PayloadResult } from '../../../parsers/types.js';

const base: PayloadResult = { format: 'klog', severity: 'info', message: 'm', fields: {}, objects: [] };
const partial = { month: 3, day: 21, hour: 14, minute: 51, second: 23, micros: 344605 };
const t = (y: number, mo: number, d: number, h: number, mi: number, s: number, us = 0): number =>
  Date.UTC(y, mo - 1, d, h, mi, s) * 1000 + us;

test('a payload time with a zone wins over everything', () => {
  const r = resolveTime({ ...base, time: 42, hasZone: true }, { envelope: 99, fallback: 0 });
  assert.deepEqual(r, { time: 42 });
});

test("klog's year comes from the envelope, which also says when the writer's zone was not UTC", () => {
  assert.deepEqual(resolveTime({ ...base, partialTime: partial }, { envelope: t(2025, 3, 21, 14, 51, 23, 344949), fallback: 0 }), {
    time: t(2025, 3, 21, 14, 51, 23, 344605),
    inferred: undefined,
  });
  // The process logged in UTC+2: the envelope (with its Z) is the truth.
  const env = t(2025, 3, 21, 12, 51, 23, 400000);
  assert.deepEqual(resolveTime({ ...base, partialTime: partial }, { envelope: env, fallback: 0 }), { time: env, inferred: 'zone' });
});

test('without an envelope, the previous event or the file time gives the year, and says so', () => {
  assert.deepEqual(resolveTime({ ...base, partialTime: partial }, { previous: t(2024, 3, 21, 14, 0, 0), fallback: 0 }), {
    time: t(2024, 3, 21, 14, 51, 23, 344605),
    inferred: 'year',
  });
  assert.deepEqual(resolveTime({ ...base, partialTime: partial }, { fallback: t(2023, 4, 1, 0, 0, 0) }), {
    time: t(2023, 3, 21, 14, 51, 23, 344605),
    inferred: 'year-guessed',
  });
});

test('no time in the payload: envelope, then previous, then nothing', () => {
  assert.deepEqual(resolveTime(base, { envelope: 5, fallback: 1 }), { time: 5, inferred: 'envelope' });
  assert.deepEqual(resolveTime(base, { previous: 7, fallback: 1 }), { time: 7, inferred: 'previous' });
  assert.deepEqual(resolveTime(base, { fallback: 1 }), { time: 0, inferred: 'none' });
});

test('a year-less line is never placed after its reference: January read in December is this January', () => {
  // A fixed clock: the file was last written (or stdin read) on 6 December 2026.
  const december = t(2026, 12, 6, 13, 0, 0);
  const january = { month: 1, day: 15, hour: 8, minute: 7, second: 19, micros: 984271 };
  assert.deepEqual(resolveTime({ ...base, partialTime: january }, { fallback: december }), {
    time: t(2026, 1, 15, 8, 7, 19, 984271),
    inferred: 'year-guessed',
  });
  // December read on 2 January: last year's December, as before.
  const dec31 = { month: 12, day: 31, hour: 23, minute: 59, second: 59, micros: 0 };
  assert.equal(resolveTime({ ...base, partialTime: dec31 }, { fallback: t(2027, 1, 2, 0, 0, 0) }).time, t(2026, 12, 31, 23, 59, 59));
  // The same day, a few hours ahead of the reference (a local time read as UTC): still that day.
  const sameDay = { month: 12, day: 6, hour: 22, minute: 0, second: 0, micros: 0 };
  assert.equal(resolveTime({ ...base, partialTime: sameDay }, { fallback: december }).time, t(2026, 12, 6, 22, 0, 0));
});

test('a kubelet log with no year and no envelope, written in December, reads its January lines in that year', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-year-'));
  try {
    const file = join(dir, 'kubelet.log');
    writeFileSync(
      file,
      'I0115 08:07:19.984271    2689 generic.go:334] "Generic (PLEG): container finished" podID="x" exitCode=1\n' +
        'I0115 08:07:20.992141    2689 kubelet.go:2000] "SyncLoop (PLEG): event for pod"\n',
    );
    // The fixed clock: the file was last written on 6 December 2026.
    const mtime = new Date(Date.UTC(2026, 11, 6, 13, 0, 0));
    utimesSync(file, mtime, mtime);
    const stream = await openEventStream([file], undefined, { onError: (f, m) => assert.fail(`${f}: ${m}`) });
    const times: number[] = [];
    for await (const batch of stream.events) for (const e of batch) times.push(e.time);
    assert.deepEqual(times, [t(2026, 1, 15, 8, 7, 19, 984271), t(2026, 1, 15, 8, 7, 20, 992141)]);
    assert.ok(times.every((x) => x <= mtime.getTime() * 1000));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
