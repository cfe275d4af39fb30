/**
 * Progress on long reads: drawn on a terminal (files, lines, rate, time left), silent when stderr
 * is not a terminal; checked on the module with a fake terminal, and end to end on the built CLI
 * with stderr a pipe and with a real pseudo-terminal (util-linux `script`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KEvent } from '../../../src/model/event.js';
import { createReadProgress, withProgress } from '../../../src/cli/progress.js';
import { corpus, corpusSkip, cliPath } from '../../helpers/paths.js';

const cli = cliPath();

function ev(line: number, raw: string): KEvent {
  return {
    seq: line,
    time: 0,
    component: 'kubelet',
    severity: 'info',
    message: raw,
    fields: {},
    objects: [],
    source: { file: 'f', line, endLine: line + 1, format: 'cri' },
    raw,
    format: 'klog',
  };
}

test('on a terminal the bar shows files, lines, rate and time left, and clears its line at the end', async () => {
  let out = '';
  const tty = { isTTY: true, columns: 120, write: (s: string) => ((out += s), true), cursorTo: () => true, clearLine: () => true, moveCursor: () => true, on: () => undefined, removeListener: () => undefined };
  const progress = await createReadProgress({ stream: tty, label: 'reading', files: 3, totalBytes: 1000 });
  assert.ok(progress, 'a terminal gets a bar');
  async function* batches(): AsyncGenerator<KEvent[]> {
    yield [ev(1, 'x'.repeat(99)), ev(3, 'y'.repeat(99))];
  }
  const seen: KEvent[][] = [];
  for await (const b of withProgress(batches(), progress)) seen.push(b);
  assert.equal(seen.length, 1, 'batches pass through unchanged');
  assert.match(out, /reading .* 0% \| 3 files \| 0 lines \| 0 lines\/s \| .* left/);
  // Drawn at most a few times a second: the update may be throttled, the final clear is not.
  assert.match(out, /\x1b\[2K/, 'the line is cleared when reading ends');
});

test('no bar when the stream is not a terminal', async () => {
  const pipe = { isTTY: false, write: () => true };
  assert.equal(await createReadProgress({ stream: pipe, label: 'reading', files: 1, totalBytes: 10 }), undefined);
});

test('ktrail ingest draws progress on a terminal and writes nothing to a piped stderr', { skip: corpusSkip() }, () => {
  const bundle = corpus('kind-1.32-bundle');
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-progress-'));
  try {
    const piped = spawnSync(process.execPath, [cli, 'ingest', '--db', join(dir, 'a.db'), bundle], { encoding: 'utf8' });
    assert.equal(piped.status, 0, piped.stderr);
    assert.equal(piped.stderr, '', 'no progress (or anything) on a stderr that is a pipe');
    assert.match(piped.stdout, /events from \d+ sources ingested/);

    const probe = spawnSync('script', ['--version'], { encoding: 'utf8' });
    if (probe.status !== 0) return; // no util-linux script: the pseudo-terminal half cannot run
    const transcript = join(dir, 'tty.out');
    const cmd = `${JSON.stringify(process.execPath)} ${JSON.stringify(cli)} ingest --db ${JSON.stringify(join(dir, 'b.db'))} ${JSON.stringify(bundle)} > /dev/null`;
    const tty = spawnSync('script', ['-qfec', cmd, transcript], { encoding: 'utf8' });
    assert.equal(tty.status, 0, tty.stderr);
    const drawn = readFileSync(transcript, 'utf8');
    assert.match(drawn, /reading .*\d+% \| \d+ files \| [\d.kM]+ lines \| [\d.kM]+ lines\/s \| .* left/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
