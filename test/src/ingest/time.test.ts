import { test } from 'node:test';
import assert from 'node:assert/strict';
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
