/**
 * Write-throughput benchmark of the simulator: a scale run of about 1 GB of bundle into a temp
 * directory (deleted afterwards). Run it with `node dist/src/sim/bench.js`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runSimulation } from './index.js';

export interface SimBench {
  /** Bundle bytes written per wall-clock second, in MB (10^6 bytes). */
  mbPerSec: number;
  linesPerSec: number;
  /** The process's peak resident set size, in MB. */
  peakRssMb: number;
  bytes: number;
  lines: number;
  seconds: number;
}

/**
 * About 1 GB: scale 250 over ten simulated minutes of a three-node cluster. Container logs are
 * not rotated here (a huge containerLogMaxSize) so that every byte written stays counted.
 */
export async function benchSimWrite(opts: { scale?: number; durationSec?: number } = {}): Promise<SimBench> {
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-sim-bench-'));
  try {
    const t0 = performance.now();
    const r = await runSimulation({ scenario: 'healthy-rollout', seed: 1, out: dir, durationSec: opts.durationSec ?? 600, scale: opts.scale ?? 250, containerLogMaxSize: 2 ** 40 });
    const seconds = (performance.now() - t0) / 1000;
    return {
      mbPerSec: Math.round((r.bytes / 1e6 / seconds) * 10) / 10,
      linesPerSec: Math.round(r.lines / seconds),
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      bytes: r.bytes,
      lines: r.lines,
      seconds: Math.round(seconds * 10) / 10,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const scale = process.argv[2] ? Number(process.argv[2]) : undefined;
  console.log(JSON.stringify(await benchSimWrite({ scale })));
}
