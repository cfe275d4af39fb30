import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileSimpleFilter, parseDuration, parseLevel, parseTimeArg } from '../../../src/ingest/filter.js';
import type { KEvent } from '../../../src/model/event.js';

const e = (over: Partial<KEvent>): KEvent => ({
  seq: 1,
  time: 1000,
  component: 'kubelet',
  severity: 'info',
  message: '',
  fields: {},
  objects: [],
  source: { file: 'f', line: 1, endLine: 1, format: 'x' },
  raw: '',
  format: 'klog',
  ...over,
});

test('durations, levels and times parse, and bad ones are refused with the reason', () => {
  assert.equal(parseDuration('15m'), 15 * 60e6);
  assert.equal(parseDuration('250ms'), 250e3);
  assert.equal(parseDuration('x'), undefined);
  assert.equal(parseLevel('WARNING'), 'warn');
  assert.throws(() => parseLevel('loud'), /unknown level "loud"/);
  assert.equal(parseTimeArg('10m', 1_000_000_000), 1_000_000_000 - 600e6);
  assert.equal(parseTimeArg('2025-03-21'), Date.UTC(2025, 2, 21) * 1000);
  assert.throws(() => parseTimeArg('yesterday'), /not a time or a duration/);
});

test('the simple filter combines component, level and time range', () => {
  const f = compileSimpleFilter({ components: ['kubelet', 'etcd'], minLevel: 'warn', since: 500, until: 2000 })!;
  assert.equal(f(e({ severity: 'warn' })), true);
  assert.equal(f(e({ severity: 'info' })), false);
  assert.equal(f(e({ severity: 'error', component: 'coredns' })), false);
  assert.equal(f(e({ severity: 'error', time: 400 })), false);
  assert.equal(f(e({ severity: 'error', time: 2001 })), false);
  assert.equal(compileSimpleFilter({}), undefined);
});
