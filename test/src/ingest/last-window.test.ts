import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { LastWindow, TimeSpan } from '../../../src/ingest/last-window.js';
import type { KEvent } from '../../../src/model/event.js';
import { corpus, corpusSkip, cliPath } from '../../helpers/paths.js';

const ev = (seconds: number): KEvent => ({
  seq: seconds,
  time: seconds * 1e6,
  component: 'kubelet',
  severity: 'info',
  message: String(seconds),
  fields: {},
  objects: [],
  source: { file: '-', line: 1, endLine: 1, format: 'none/klog' },
  raw: '',
  format: 'klog',
});

test('last window: the events within the span of the last one, holding no more than the window', () => {
  const w = new LastWindow(10e6);
  for (let s = 0; s <= 10_000; s++) w.push(ev(s));
  assert.deepEqual(w.events().map((e) => e.seq), [9990, 9991, 9992, 9993, 9994, 9995, 9996, 9997, 9998, 9999, 10000]);
  assert.ok((w as unknown as { held: KEvent[] }).held.length < 4096 * 2 + 20, 'old events are dropped as it goes');
  const span = new TimeSpan();
  assert.ok(span.empty);
  span.see(5e6);
  span.see(0); // no time: not part of the span
  span.see(2e6);
  assert.deepEqual([span.first, span.last], [2e6, 5e6]);
});

const main = cliPath();

test('--last counts back from the input\'s end; a --since that selects nothing says why on stderr', { skip: corpusSkip() }, () => {
  const bundle = corpus('kind-1.32-bundle');
  const last = spawnSync(process.execPath, [main, bundle, '--last', '5s', '-o', 'json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(last.status, 0, last.stderr);
  const times = last.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { timeUs: number }).timeUs);
  assert.ok(times.length > 0);
  const end = Math.max(...times);
  assert.ok(times.every((t) => t >= end - 5e6), 'all within 5 s of the last event');
  const all = spawnSync(process.execPath, [main, bundle, '-o', 'json'], { encoding: 'utf8', maxBuffer: 256 << 20 });
  const allTimes = all.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { timeUs: number }).timeUs);
  assert.equal(Math.max(...allTimes), end, 'the window ends at the input\'s end');
  assert.equal(times.length, allTimes.filter((t) => t >= end - 5e6).length, 'and holds every event of it');

  const since = spawnSync(process.execPath, [main, bundle, '--since', '10m'], { encoding: 'utf8' });
  assert.equal(since.stdout, '');
  assert.match(since.stderr, /the time filter selects nothing: the input runs from 2025-03-21T14:51:\S+ to 2025-03-21T14:51:\S+ .*--last 10m/);
  const bad = spawnSync(process.execPath, [main, bundle, '--last', 'soon'], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
});
