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

/** Keeps the end of a long path (the file name and its folder say the most). */
function shorten(text: string, max: number): string {
  return text.length <= max ? text : '…' + text.slice(text.length - max + 1);
}

function mainOf(record: Record<string, number>): string {
  const entries = Object.entries(record).sort((a, b) => b[1] - a[1]);
  return entries.map(([k]) => k).join(',') || '-';
}

export function formatStatsTable(report: StatsReport): string {
  const rows = report.sources.map((s) => [
    shorten(neutralize(s.file), 72),
    s.envelope,
    mainOf(s.formats),
    mainOf(s.components as Record<string, number>),
    String(s.linesRead),
    String(s.events),
    String(s.folded),
    String(s.unrecognized),
    String(s.setAside),
  ]);
  const t = report.totals;
  rows.push(['TOTAL', '', '', '', String(t.linesRead), String(t.events), String(t.folded), String(t.unrecognized), String(t.setAside)]);
  const header = ['source', 'envelope', 'formats', 'components', 'lines', 'events', 'folded', 'unrecognized', 'set aside'];
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  const fmt = (r: string[]): string =>
    r.map((cell, i) => (i >= 4 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ');
  const skew = formatSkewLines(report.clockSkew).map((l) => neutralize(l));
  // Inputs of several clusters read together: what each holds.
  const clusters =
    report.clusters.length > 1
      ? report.clusters.map((c) => `cluster ${neutralize(c.cluster || '-')}: ${c.sources} sources, ${c.events} events`).join('\n') + '\n\n'
      : '';
  return all.map(fmt).join('\n') + '\n\n' + clusters + skew.join('\n') + '\n';
}

export async function runStats(
  paths: string[],
  flags: CommonInputFlags & { json?: boolean; cluster?: string },
  diag: Diagnostics,
): Promise<number> {
  const report = await collectStats(paths, flags, diag);
  process.stdout.write(flags.json ? JSON.stringify(report, null, 2) + '\n' : formatStatsTable(report));
  return diag.count > 0 ? 1 : 0;
}
