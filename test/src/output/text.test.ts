/**
 * A line over the 1 MiB framing limit is cut while reading; every output says so: text and raw
 * with a marker on the line, NDJSON with `truncated: true`.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Chalk } from 'chalk';
import { CUT_MARKER, formatEventLine, formatRaw } from '../../../src/output/text.js';
import type { KEvent } from '../../../src/model/event.js';
import { cliPath } from '../../helpers/paths.js';

const cli = cliPath();

function event(raw: string, truncated: boolean): KEvent {
  const e: KEvent = {
    seq: 1,
    time: 1_700_000_000_000_000,
    component: 'kube-scheduler',
    severity: 'info',
    message: raw,
    fields: {},
    objects: [],
    source: { file: 'x.log', line: 1, endLine: 1, format: 'none/unknown' },
    raw,
    format: 'unknown',
  };
  if (truncated) e.truncated = true;
  return e;
}

test('a cut event carries the marker in raw and text output; a whole one does not', () => {
  const plain = new Chalk({ level: 0 });
  assert.equal(formatRaw(event('abc\x1b[2J', true), false), `abc\x1b[2J${CUT_MARKER}`);
  assert.equal(formatRaw(event('abc\x1b[2J', true), true), `abc␛[2J${CUT_MARKER}`);
  assert.equal(formatRaw(event('abc', false), true), 'abc');
  assert.ok(formatEventLine(event('abc', true), plain).endsWith(`abc${CUT_MARKER}`));
  assert.ok(!formatEventLine(event('abc', false), plain).includes(CUT_MARKER));
});

test('ktrail -o raw, text and json all say that a 3 MiB line was cut', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-cut-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'kube-scheduler.log');
  const long = `I0321 14:51:23.000001       1 controller.go:42] "Big" data="${'x'.repeat(3 * 1024 * 1024)}"`;
  const short = 'I0321 14:51:24.000001       1 controller.go:42] "Small"';
  writeFileSync(file, `${long}\n${short}\n`);
  const run = (...args: string[]): string[] => {
    const r = spawnSync(process.execPath, [cli, file, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.split('\n').filter(Boolean);
  };
  const raw = run('-o', 'raw');
  assert.equal(raw.length, 2);
  assert.ok(raw[0]!.endsWith(CUT_MARKER), raw[0]!.slice(-80));
  assert.equal(Buffer.byteLength(raw[0]!) - Buffer.byteLength(CUT_MARKER), 1024 * 1024);
  assert.equal(raw[1], short);
  const text = run();
  assert.ok(text[0]!.endsWith(CUT_MARKER));
  assert.ok(!text[1]!.includes(CUT_MARKER));
  const json = run('-o', 'json').map((l) => JSON.parse(l) as { truncated?: boolean });
  assert.deepEqual(json.map((j) => j.truncated === true), [true, false]);
});

test('the memoized parts of a line follow the chalk, the host, the severity and the clock', () => {
  const plain = new Chalk({ level: 0 });
  const colour = new Chalk({ level: 2 });
  const e = event('hello', false);
  const shown = formatEventLine(e, plain);
  assert.equal(shown, '2023-11-14 22:13:20.000 kube-scheduler          - I ? hello');
  // The same event through a colouring chalk is coloured, and plain again after it.
  assert.match(formatEventLine(e, colour), /\x1b\[/);
  assert.equal(formatEventLine(e, plain), shown);
  // Host and severity are each the line's own, even on lines that share everything else.
  const other = { ...e, host: 'node-\x1b[2J', severity: 'error' as const };
  assert.equal(formatEventLine(other, plain), '2023-11-14 22:13:20.000 kube-scheduler          node-␛[2J E ? hello');
  // More distinct hosts than the memo keeps: every line still names its own.
  for (let i = 0; i < 5000; i++) assert.ok(formatEventLine({ ...e, host: `h${i}` }, plain).includes(` h${i} I `));
  // Milliseconds across a second's end, and with leading zeros.
  const at = (time: number): string => formatEventLine({ ...e, time }, plain).slice(0, 23);
  assert.equal(at(1_700_000_000_999_999), '2023-11-14 22:13:20.999');
  assert.equal(at(1_700_000_001_007_000), '2023-11-14 22:13:21.007');
  assert.equal(at(1_700_000_001_070_500), '2023-11-14 22:13:21.070');
  assert.equal(at(1_700_000_000_999_000), '2023-11-14 22:13:20.999');
});
