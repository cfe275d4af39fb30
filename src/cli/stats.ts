/**
 * `ktrail stats [PATH...] [--json]`: the accounting of every source: its envelope, formats and
 * components, and where each line went (events, folded, unrecognized, set aside); and the clock
 * skew between hosts that the events' causal pairs show (correlate/skew.ts).
 */
import { formatSkewLines, SkewCollector, type SkewReport } from '../correlate/skew.js';
import { openEventStream } from '../ingest/run.js';
import { balanced, totals, type SourceStats } from '../ingest/stats.js';
import { neutralize } from '../util/sanitize.js';
import type { Diagnostics } from './diagnostics.js';
import { componentOverride, type CommonInputFlags } from './read.js';

export interface StatsReport {
  sources: SourceStats[];
  totals: ReturnType<typeof totals> & { balanced: boolean };
  /** Each host's clock against the reference's, from causal pairs. */
  clockSkew: SkewReport;
}

export async function collectStats(paths: string[], flags: CommonInputFlags, diag: Diagnostics): Promise<StatsReport> {
  const stdin = paths.length === 0 && !process.stdin.isTTY ? process.stdin : undefined;
  const stream = await openEventStream(paths, stdin, {
    componentOverride: componentOverride(flags),
    onError: (file, message) => diag.warn(file, message),
  });
  const skew = new SkewCollector();
  for await (const batch of stream.events) for (const e of batch) skew.add(e);
  const sources = stream.stats.slice().sort((a, b) => a.file.localeCompare(b.file));
  return { sources, totals: { ...totals(sources), balanced: sources.every(balanced) }, clockSkew: skew.report() };
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
  return all.map(fmt).join('\n') + '\n\n' + skew.join('\n') + '\n';
}

export async function runStats(
  paths: string[],
  flags: CommonInputFlags & { json?: boolean },
  diag: Diagnostics,
): Promise<number> {
  const report = await collectStats(paths, flags, diag);
  process.stdout.write(flags.json ? JSON.stringify(report, null, 2) + '\n' : formatStatsTable(report));
  return diag.count > 0 ? 1 : 0;
}
