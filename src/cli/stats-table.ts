/**
 * The per-source table of `ktrail stats`, shared by its two forms: inputs read now (stats.ts) and
 * what a store recorded when it ingested them (stats-store.ts).
 */
import type { SourceStats, StatsTotals } from '../ingest/stats.js';
import { neutralize } from '../util/sanitize.js';

/** Keeps the end of a long path (the file name and its folder say the most). */
function shorten(text: string, max: number): string {
  return text.length <= max ? text : '…' + text.slice(text.length - max + 1);
}

function mainOf(record: Record<string, number>): string {
  const entries = Object.entries(record).sort((a, b) => b[1] - a[1]);
  return entries.map(([k]) => neutralize(k)).join(',') || '-';
}

/** One row per source and a TOTAL row, numbers right-aligned (no trailing newline). */
export function formatSourcesTable(sources: readonly SourceStats[], t: StatsTotals): string {
  const rows = sources.map((s) => [
    shorten(neutralize(s.file), 72),
    neutralize(s.envelope),
    mainOf(s.formats),
    mainOf(s.components as Record<string, number>),
    String(s.linesRead),
    String(s.events),
    String(s.folded),
    String(s.unrecognized),
    String(s.setAside),
  ]);
  rows.push(['TOTAL', '', '', '', String(t.linesRead), String(t.events), String(t.folded), String(t.unrecognized), String(t.setAside)]);
  const header = ['source', 'envelope', 'formats', 'components', 'lines', 'events', 'folded', 'unrecognized', 'set aside'];
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  const fmt = (r: string[]): string => r.map((cell, i) => (i >= 4 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ');
  return all.map(fmt).join('\n');
}
