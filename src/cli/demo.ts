/**
 * `ktrail demo` (and `npm start`): simulates the `mixed` scenario into a temporary folder and runs
 * ktrail's main view over it, so that the tool can be seen at work with no cluster at hand: the
 * terminal UI on a terminal; elsewhere (a pipe, CI) the incidents with their evidence, the
 * warnings and errors merged in time order, and the accounting.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSimulation } from '../sim/index.js';
import type { Diagnostics } from './diagnostics.js';
import { runRead } from './read.js';
import { collectStats, formatStatsTable } from './stats.js';
import { openStoreFor } from './open-store.js';
import { formatIncidents, listIncidents } from './incidents.js';
import { colorEnabled } from '../output/colors.js';
import { openViewOnStore } from './view.js';

export interface DemoFlags {
  scenario: string;
  seed: string;
  keep?: boolean;
}

export async function runDemo(flags: DemoFlags, diag: Diagnostics): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-demo-'));
  try {
    const result = await runSimulation({ scenario: flags.scenario, seed: Number(flags.seed) || 1, out: dir });
    const bundle = join(dir, 'bundle');
    process.stderr.write(
      `ktrail demo: simulated "${flags.scenario}" (seed ${flags.seed}): ${result.lines.toLocaleString()} lines in ${result.files} files under ${bundle}\n\n`,
    );
    const { store } = await openStoreFor([bundle], { db: join(dir, 'ktrail.db') }, diag);
    try {
      if (process.stdout.isTTY && process.stdin.isTTY) {
        await openViewOnStore(store, { title: `ktrail demo: ${flags.scenario}`, start: 'incidents' });
        return diag.count > 0 ? 1 : 0;
      }
      process.stdout.write('Incidents\n\n' + formatIncidents(listIncidents(store), colorEnabled(process.stdout)) + '\n');
    } finally {
      store.close();
    }
    // The warnings and errors of every component, merged in time order, then the accounting.
    process.stdout.write('Warnings and errors, all components\n\n');
    const status = await runRead([bundle], { output: 'text', level: 'warn' }, diag);
    const report = await collectStats([bundle], {}, diag);
    process.stdout.write('\n' + formatStatsTable(report));
    if (flags.keep) process.stderr.write(`\nktrail demo: the bundle and its truth are kept in ${dir}\n`);
    return status;
  } finally {
    if (!flags.keep) rmSync(dir, { recursive: true, force: true });
  }
}
