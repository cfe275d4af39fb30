/**
 * `npm run bench`: measured figures, printed beside a reference run in the same script (these
 * machines are noisy: ratios matter more than absolute numbers). Never run by `npm test`.
 * One part alone: `npm run bench -- cli` (or pipe, store, tui, sim; trace with BENCH_TRACE_DB).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writePipeData } from './pipe-data.js';
import { benchRegex } from './regex.js';
import { benchStore } from './store.js';
import { benchTui } from './tui.js';
import { benchFollow } from './follow.js';
import { benchCli, benchTraceDb } from './cli.js';
import { benchSimWrite } from '../../src/sim/bench.js';

const here = dirname(fileURLToPath(import.meta.url));
const LINES = Number(process.env.BENCH_LINES ?? 1_000_000);

interface WorkerResult {
  mode: string;
  lines: number;
  events: number;
  seconds: number;
  peakRssMb: number;
}

function worker(mode: string, file: string): WorkerResult {
  const out = execFileSync(process.execPath, [join(here, 'pipe-worker.js'), mode, file], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').pop()!) as WorkerResult;
}

function lnavRun(file: string): number | undefined {
  const probe = spawnSync('lnav', ['-V'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return undefined;
  const t0 = process.hrtime.bigint();
  spawnSync('lnav', ['-n', file], { stdio: 'ignore' });
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

async function benchPipe(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-bench-'));
  try {
    const file = join(dir, 'mixed.log');
    const bytes = await writePipeData(file, LINES);
    const mb = bytes / 1e6;
    console.log(`pipe mode: ${LINES.toLocaleString()} mixed CRI lines, ${mb.toFixed(1)} MB (${statSync(file).size} bytes)`);
    // Warm the page cache so that neither run pays for the disk.
    execFileSync('cat', [file], { stdio: 'ignore', maxBuffer: 1 << 30 });
    const rows: [string, number, number, number][] = [];
    for (const mode of ['split', 'parse']) {
      const r = worker(mode, file);
      rows.push([mode === 'split' ? 'read+split only (reference)' : 'full parse (ktrail)', r.lines / r.seconds, mb / r.seconds, r.peakRssMb]);
    }
    const lnav = lnavRun(file);
    for (const [name, lps, mbps, rss] of rows) {
      console.log(`  ${name.padEnd(30)} ${Math.round(lps).toLocaleString().padStart(12)} lines/s ${mbps.toFixed(1).padStart(8)} MB/s  peak RSS ${rss.toFixed(0)} MB`);
    }
    console.log(`  full parse / split-only rate: ${((rows[1]![1] / rows[0]![1]) * 100).toFixed(1)}% (aim: at least 40%)`);
    if (lnav !== undefined) console.log(`  lnav -n on the same file: ${lnav.toFixed(2)} s (${(LINES / lnav).toFixed(0)} lines/s)`);
    else console.log('  lnav: not installed (apt-get install lnav to compare)');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const only = process.argv[2];
if (!only || only === 'cli') await benchCli();
if (only === 'trace') await benchTraceDb();
if (!only || only === 'pipe') await benchPipe();
if (!only || only === 'store') await benchStore();
if (!only || only === 'tui') await benchTui();
if (!only || only === 'follow') await benchFollow();
if (!only || only === 'regex') await benchRegex();
if (!only || only === 'clickhouse') await (await import('./clickhouse.js')).benchClickhouse();
if (!only || only === 'sim') {
  // The simulator at scale: about 2.6 GB and 5M lines into a temporary folder (deleted after).
  const r = await benchSimWrite({ scale: Number(process.env.BENCH_SIM_SCALE ?? 650) });
  console.log(`simulator write (--scale ${process.env.BENCH_SIM_SCALE ?? 650}): ${r.lines.toLocaleString()} lines, ${(r.bytes / 1e9).toFixed(2)} GB in ${r.seconds.toFixed(1)} s`);
  console.log(`  ${r.mbPerSec.toFixed(1)} MB/s, ${Math.round(r.linesPerSec).toLocaleString()} lines/s, peak RSS ${r.peakRssMb} MB (aim: 50 MB/s)`);
}
