import assert from 'node:assert/strict';
import { test } from 'node:test';
import { goDurationMs } from '../../../parsers/payload/go-duration.js';

/** The sticky-regex reading the scan replaced: the scan must give the same number, or undefined, for every text. */
const PART = /(\d+(?:\.\d+)?)(ns|us|µs|μs|ms|s|m|h)/y;
const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
function byPattern(text: string): number | undefined {
  if (text.length === 0 || text.length > 64) return undefined;
  if (text === '0s' || text === '0') return 0;
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < text.length) {
    const m = PART.exec(text);
    if (!m) return undefined;
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
  }
  return Math.round(total * 1e6) / 1e6;
}

test('Go durations in milliseconds', () => {
  assert.equal(goDurationMs('469.7ms'), 469.7);
  assert.equal(goDurationMs('1m2.5s'), 62_500);
  assert.equal(goDurationMs('981.518µs'), 0.981518);
  assert.equal(goDurationMs('981.518μs'), 0.981518);
  assert.equal(goDurationMs('2h'), 7_200_000);
  assert.equal(goDurationMs('0.000231s'), 0.231);
  assert.equal(goDurationMs('12ns'), 0.000012);
  assert.equal(goDurationMs('0'), 0);
  for (const bad of ['', 's', '1', '1.s', '.5s', '1x', '1m2', '1n', '1ms ', '-1s', '1.2.3s']) assert.equal(goDurationMs(bad), undefined, bad);
});

test('the scan reads every text as the pattern did', () => {
  const alphabet = ['0', '1', '9', '.', 'n', 'u', 'µ', 'μ', 'm', 's', 'h', 'x', ' '];
  let n = 0;
  // Every text of up to four characters from the alphabet, and real durations with one character changed.
  const texts: string[] = [''];
  for (let len = 1; len <= 4; len++) {
    for (const prefix of texts.filter((t) => t.length === len - 1)) for (const c of alphabet) texts.push(prefix + c);
  }
  for (const real of ['469.7ms', '1m2.5s', '981.518µs', '0.000123s', '3h4m5.25s']) {
    for (let i = 0; i < real.length; i++) for (const c of alphabet) texts.push(real.slice(0, i) + c + real.slice(i + 1));
  }
  for (const t of texts) {
    assert.equal(goDurationMs(t), byPattern(t), JSON.stringify(t));
    n++;
  }
  assert.ok(n > 30_000);
});
