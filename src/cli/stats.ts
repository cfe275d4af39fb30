/**
 * `ktrail stats [PATH...] [--json]`: the accounting of every source: its envelope, formats and
 * components, and where each line went (events, folded, unrecognized, set aside); and the clock
 * skew between hosts that the events' causal pairs show (correlate/skew.ts).
 */
import { formatSkewLines, SkewCollector, type SkewReport } from '../correlate/skew.js';
import { openSources, resolveInputs } from '../ingest/run.js';
import { balanced, totals, type SourceStats } from '../ingest/stats.js';
import { neutralize } from '../util/sanitize.js';
import type { Diagnostics } from './diagnostics.js';
import { componentOverride, type CommonInputFlags } from './read.js';
import { formatSourcesTable } from './stats-table.js';
import { UsageError } from './usage-error.js';

export interface StatsReport {
  /** Each source's accounting, with the cluster it belongs to (cluster-name.ts; '' when unnamed). */
  sources: (SourceStats & { cluster: string })[];
  /** Per cluster: its sources and events. */
  clusters: { cluster: string; sources: number; events: number }[];
  totals: ReturnType<typeof totals> & { balanced: boolean };
  /** Each host's clock against the reference's, from causal pairs. */
  clockSkew: SkewReport;
}

export async function collectStats(paths: string[], flags: CommonInputFlags & { cluster?: string }, diag: Diagnostics): Promise<StatsReport> {
  const stdin = paths.length === 0 && !process.stdin.isTTY ? process.stdin : undefined;
  const onError = (file: string, message: string): void => diag.warn(file, message);
  // --cluster: only the inputs of that cluster, as `read --cluster` and the store commands do.
  const inputs = (await resolveInputs(paths, stdin, onError)).filter((i) => flags.cluster === undefined || (i.cluster ?? '') === flags.cluster);
  const clusterOf = new Map(inputs.map((i) => [i.display, i.cluster ?? '']));
  const stream = openSources(inputs, { componentOverride: componentOverride(flags), onError });
  const skew = new SkewCollector();
  for await (const batch of stream.events) for (const e of batch) skew.add(e);
  const sources = stream.stats
    .map((s) => ({ ...s, cluster: clusterOf.get(s.file) ?? '' }))
    .sort((a, b) => a.file.localeCompare(b.file));
  const clusters = new Map<string, { cluster: string; sources: number; events: number }>();
  for (const s of sources) {
    const c = clusters.get(s.cluster) ?? { cluster: s.cluster, sources: 0, events: 0 };
    c.sources++;
    c.events += s.events;
    clusters.set(s.cluster, c);
  }
  return {
    sources,
    clusters: [...clusters.values()].sort((a, b) => a.cluster.localeCompare(b.cluster)),
    totals: { ...totals(sources), balanced: sources.every(balanced) },
    clockSkew: skew.report(),
  };
}

export function formatStatsTable(report: StatsReport): string {
  const skew = formatSkewLines(report.clockSkew).map((l) => neutralize(l));
  // Inputs of several clusters read together: what each holds.
  const clusters =
    report.clusters.length > 1
      ? report.clusters.map((c) => `cluster ${neutralize(c.cluster || '-')}: ${c.sources} sources, ${c.events} events`).join('\n') + '\n\n'
      : '';
  return formatSourcesTable(report.sources, report.totals) + '\n\n' + clusters + skew.join('\n') + '\n';
}

export async function runStats(
  paths: string[],
  flags: CommonInputFlags & { json?: boolean; cluster?: string; db?: string },
  diag: Diagnostics,
): Promise<number> {
  // A store rather than inputs: --db, or KTRAIL_DB when no input is given (a pipe is an input).
  const db = flags.db ?? (paths.length === 0 && process.stdin.isTTY ? process.env['KTRAIL_DB'] || undefined : undefined);
  if (db !== undefined) {
    if (paths.length > 0) throw new UsageError('ktrail stats: give PATHs (inputs) or --db (a store), not both');
    return (await import('./stats-store.js')).runStoreStats({ db, json: flags.json, cluster: flags.cluster }, diag);
  }
  const report = await collectStats(paths, flags, diag);
  process.stdout.write(flags.json ? JSON.stringify(report, null, 2) + '\n' : formatStatsTable(report));
  return diag.count > 0 ? 1 : 0;
}
