/**
 * `ktrail [PATH...]`: every input to one time-ordered stream, printed as text, NDJSON or the
 * original lines.
 */
import type { Component, KEvent, Severity } from '../model/event.js';
import { openRenderedSources, openSources, resolveInputs } from '../ingest/run.js';
import type { Picks } from '../ingest/merge.js';
import { compileSimpleFilter, parseComponents, parseDuration, parseLevel, parseTimeArg, type FilterKeys } from '../ingest/filter.js';
import { LastWindow, TimeSpan } from '../ingest/last-window.js';
import { formatMicros } from '../util/time.js';
import { UsageError } from './usage-error.js';
import { colorEnabled } from '../output/colors.js';
import { lineBatcher, type RenderSpec } from '../output/render.js';
import { clusterAt, componentAt, lineCount, severityAt, writeLine, type LineBatch } from '../output/line-batch.js';
import { createOutputWriter } from '../output/writer.js';
import type { Diagnostics } from './diagnostics.js';

export interface ReadFlags {
  output: 'text' | 'json' | 'raw';
  component?: string[];
  level?: string;
  since?: string;
  until?: string;
  /** A duration: only the input's own last stretch of that length (from its last event). */
  last?: string;
  forceComponent?: string;
  /** Move each host's events by minus its estimated clock offset (correlate/skew-fix.ts). */
  fixSkew?: boolean;
  /** Only the events of inputs of this cluster (src/ingest/cluster-name.ts). */
  cluster?: string;
}

export interface CommonInputFlags {
  forceComponent?: string;
}

export function componentOverride(flags: CommonInputFlags): Component | undefined {
  if (!flags.forceComponent) return undefined;
  return parseComponents([flags.forceComponent])[0];
}

export async function runRead(paths: string[], flags: ReadFlags, diag: Diagnostics): Promise<number> {
  const since = flags.since ? parseTimeArg(flags.since) : undefined;
  const until = flags.until ? parseTimeArg(flags.until) : undefined;
  const filter = compileSimpleFilter({
    components: flags.component ? parseComponents(flags.component) : undefined,
    minLevel: flags.level ? (parseLevel(flags.level) as Severity) : undefined,
    since,
    until,
    cluster: flags.cluster,
  });
  let last: LastWindow<Held> | undefined;
  if (flags.last !== undefined) {
    const span = parseDuration(flags.last);
    if (span === undefined) throw new UsageError(`--last wants a duration (10m, 2h, 30s), not "${flags.last}"`);
    last = new LastWindow<Held>(span);
  }
  const stdin = paths.length === 0 && !process.stdin.isTTY ? process.stdin : undefined;
  if (paths.length === 0 && !stdin) {
    process.stderr.write('ktrail: no input: give files or directories, or pipe logs in (ktrail --help)\n');
    return 2;
  }
  const offsets = flags.fixSkew ? await (await import('./fix-skew.js')).skewOffsets(paths, stdin !== undefined, componentOverride(flags)) : undefined;
  const onError = (file: string, message: string): void => diag.warn(file, message);
  const inputs = await resolveInputs(paths, stdin, onError);
  // Bundles of several clusters read together: each line says whose it is.
  const showCluster = flags.cluster === undefined && new Set(inputs.map((i) => i.cluster ?? '')).size > 1;
  // Each event is rendered as its output line where it is parsed (a worker thread, mostly).
  const spec: RenderSpec = { output: flags.output, color: colorEnabled(process.stdout), tty: process.stdout.isTTY === true, showCluster };
  const open = { componentOverride: componentOverride(flags), onError };
  const events = offsets
    ? // --fix-skew moves times, so its events are rendered once moved.
      renderedBatches((await import('../correlate/skew-fix.js')).shiftedBatches(openSources(inputs, open).events, offsets), spec)
    : openRenderedSources(inputs, open, spec).events;

  // The input's time span, and whether the time filter alone left nothing.
  const span = new TimeSpan();
  let kept = 0;
  // The filter reads its keys from the line's columns through this one object, not one per line.
  const probe: FilterKeys = { time: 0, component: 'other', severity: 'info', cluster: undefined };
  const keep = (b: LineBatch, i: number): boolean => {
    const time = b.time[i]!;
    span.see(time);
    let ok = true;
    if (filter) {
      probe.time = time;
      probe.component = componentAt(b, i);
      probe.severity = severityAt(b, i);
      probe.cluster = clusterAt(b, i);
      ok = filter(probe);
    }
    if (ok) kept++;
    return ok;
  };
  const batches = last ? lastPicks(events, keep, last) : events;
  // The output waits for the reader (back-pressure) and stops quietly when it goes away (| head).
  const out = createOutputWriter(process.stdout);
  for await (const { from, at } of batches) {
    for (let k = 0; k < at.length; k++) {
      // Picks from --last were kept already.
      if (!last && !keep(from[k]!, at[k]!)) continue;
      const wait = writeLine(out, from[k]!, at[k]!);
      if (wait) await wait;
    }
    // Each batch goes out when it is done, so a live pipe (kubectl logs -f | ktrail) is not held.
    await out.flush();
    if (out.closed()) break;
  }
  await out.flush();
  if (kept === 0 && (since !== undefined || until !== undefined) && !span.empty && ((since !== undefined && since > span.last) || (until !== undefined && until < span.first))) {
    process.stderr.write(
      `ktrail: the time filter selects nothing: the input runs from ${formatMicros(span.first)} to ${formatMicros(span.last)}` +
        ` (--since/--until durations count back from now; --last 10m counts back from the input's end)\n`,
    );
  }
  return diag.count > 0 ? 1 : 0;
}

/** The merged events rendered, each batch's lines picked in order (their seq is already final). */
async function* renderedBatches(events: AsyncGenerator<KEvent[]>, spec: RenderSpec): AsyncGenerator<Picks> {
  const render = lineBatcher(spec);
  for await (const batch of events) {
    const b = render(batch);
    const n = lineCount(b);
    yield { from: new Array<LineBatch>(n).fill(b), at: Array.from({ length: n }, (_, i) => i) };
  }
}

/** A line held by --last: its batch stays alive while the window holds it. */
interface Held {
  time: number;
  b: LineBatch;
  i: number;
}

/** --last: everything is read first (the end is only known then), holding only the window. */
async function* lastPicks(events: AsyncGenerator<Picks>, keep: (b: LineBatch, i: number) => boolean, window: LastWindow<Held>): AsyncGenerator<Picks> {
  for await (const { from, at } of events) {
    for (let k = 0; k < at.length; k++) if (keep(from[k]!, at[k]!)) window.push({ time: from[k]!.time[at[k]!]!, b: from[k]!, i: at[k]! });
  }
  const held = window.events();
  yield { from: held.map((h) => h.b), at: held.map((h) => h.i) };
}

