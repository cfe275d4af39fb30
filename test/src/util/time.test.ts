import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closestYearMicros, formatMicros, monthFromName, parseRfc3339 } from '../../../src/util/time.js';

test('parseRfc3339 reads nanoseconds, offsets and the zone-less form', () => {
  const cases: [string, number, boolean][] = [
    ['2025-03-21T14:51:23.344949051Z', Date.UTC(2025, 2, 21, 14, 51, 23) * 1000 + 344949, true],
    ['2025-03-21T14:51:23Z', Date.UTC(2025, 2, 21, 14, 51, 23) * 1000, true],
    ['2025-03-21T15:51:23.5+01:00', Date.UTC(2025, 2, 21, 14, 51, 23) * 1000 + 500000, true],
    ['2025-03-21T07:51:23.000001-0700', Date.UTC(2025, 2, 21, 14, 51, 23) * 1000 + 1, true],
    ['2021-05-26 01:55:29.382834', Date.UTC(2021, 4, 26, 1, 55, 29) * 1000 + 382834, false],
  ];
  for (const [text, micros, hasZone] of cases) {
    const r = parseRfc3339(text);
    assert.deepEqual(r, { micros, hasZone }, text);
  }
  for (const bad of ['not a time', '2025-13-01T00:00:00Z', '2025-02-32T00:00:00Z', '2025-01-01T24:00:00Z']) {
    assert.equal(parseRfc3339(bad), undefined, bad);
  }
});

test('closestYearMicros handles a December-January roll-over in both directions', () => {
  const jan2 = Date.UTC(2026, 0, 2) * 1000;
  assert.equal(closestYearMicros(12, 31, 23, 59, 59, 0, jan2), Date.UTC(2025, 11, 31, 23, 59, 59) * 1000);
  const dec30 = Date.UTC(2025, 11, 30) * 1000;
  assert.equal(closestYearMicros(1, 1, 0, 0, 1, 0, dec30), Date.UTC(2026, 0, 1, 0, 0, 1) * 1000);
  const jun = Date.UTC(2025, 5, 1) * 1000;
  assert.equal(closestYearMicros(3, 21, 14, 51, 23, 7, jun), Date.UTC(2025, 2, 21, 14, 51, 23) * 1000 + 7);
});

test('monthFromName and formatMicros', () => {
  assert.equal(monthFromName('Mar'), 3);
  assert.equal(monthFromName('dec'), 12);
  assert.equal(monthFromName('Foo'), undefined);
  assert.equal(formatMicros(Date.UTC(2025, 2, 21, 14, 51, 23) * 1000 + 344949), '2025-03-21T14:51:23.344949Z');
});

test('formatMicros agrees with Date for any order of times (its memo of the last second never leaks)', () => {
  let seed = 7;
  const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  let t = Date.UTC(2025, 2, 21) * 1000;
  for (let i = 0; i < 20_000; i++) {
    // Mostly small steps within a second, sometimes a jump back or across years.
    const r = rand();
    t = r < 0.8 ? t + Math.floor(rand() * 300_000) : r < 0.9 ? t - Math.floor(rand() * 5_000_000) : Math.floor(rand() * 4e15);
    const ref = new Date(Math.floor(t / 1000)).toISOString().slice(0, 23) + String(t % 1000).padStart(3, '0') + 'Z';
    assert.equal(formatMicros(t), ref, `at ${t}`);
  }
});
