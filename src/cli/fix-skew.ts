/**
 * `--fix-skew` for the commands that read inputs: reading (read.ts) and the store's ingest
 * (open-store.ts, so ingest, trace, incidents, query, view on PATHs). The estimate needs every
 * host's lines before the first event is written or printed, so the inputs are read twice: once
 * here to estimate each host's offset (correlate/skew.ts), once to print or store them moved
 * (correlate/skew-fix.ts). A pipe can be read once only: refused.
 */
import type { Component } from '../model/event.js';
import { neutralize } from '../util/sanitize.js';
import { UsageError } from './usage-error.js';

/** Whether an input can be read twice: not stdin, not a pipe given by name. */
export function assertRereadable(paths: string[], piped: boolean): void {
  if (piped || paths.length === 0 || paths.some((p) => p === '-' || p.startsWith('/dev/'))) {
    throw new UsageError('--fix-skew reads the inputs twice: give files or folders, not a pipe');
  }
}

/**
 * The first read: each host's offset to subtract (microseconds), keyed by clock (skew.ts's
 * clockOf); stderr names each host moved and by how much, or says that nothing moves.
 */
export async function skewOffsets(paths: string[], piped: boolean, componentOverride: Component | undefined): Promise<Map<string, number>> {
  assertRereadable(paths, piped);
  const [{ openEventStream }, { SkewCollector, formatOffset }, { offsetsToFix }] = await Promise.all([
    import('../ingest/run.js'),
    import('../correlate/skew.js'),
    import('../correlate/skew-fix.js'),
  ]);
  const first = await openEventStream(paths, undefined, { componentOverride, onError: () => undefined });
  const collector = new SkewCollector();
  for await (const batch of first.events) for (const e of batch) collector.add(e);
  const report = collector.report();
  const offsets = offsetsToFix(report);
  // Host names come from the logs: untrusted text, shown with control characters made visible.
  const say = (text: string): void => void process.stderr.write(`ktrail: ${neutralize(text)}\n`);
  for (const h of report.hosts) {
    if (offsets.has(h.host)) say(`--fix-skew: ${h.host} moved by ${formatOffset(-h.offsetUs!)} (its clock ${formatOffset(h.offsetUs!)} against ${report.reference}, from ${h.lowerPairs + h.upperPairs} causal pairs)`);
  }
  if (offsets.size === 0) say(`--fix-skew: nothing to move (${report.pairs} causal pairs${report.hosts.length ? '' : ', none between hosts'})`);
  return offsets;
}
