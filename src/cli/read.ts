/**
 * `ktrail [PATH...]`: every input to one time-ordered stream, printed as text, NDJSON or the
 * original lines.
 */
import type { Component, KEvent, Severity } from '../model/event.js';
import { openRenderedSources, openSources, resolveInputs } from '../ingest/run.js';
import { compileSimpleFilter, parseComponents, parseDuration, parseLevel, parseTimeArg } from '../ingest/filter.js';
import { LastWindow, TimeSpan } from '../ingest/last-window.js';
import { formatMicros } from '../util/time.js';
import { UsageError } from './usage-error.js';
import { colorEnabled } from '../output/colors.js';
import { renderer, writeRendered, type RenderedEvent, type RenderSpec } from '../output/render.js';
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
  let last: LastWindow<RenderedEvent> | undefined;
  if (flags.last !== undefined) {
    const span = parseDuration(flags.last);
    if (span === undefined) throw new UsageError(`--last wants a duration (10m, 2h, 30s), not "${flags.last}"`);
    last = new LastWindow<RenderedEvent>(span);
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
  const keep = (e: RenderedEvent): boolean => {
    span.see(e.time);
    const ok = filter ? filter(e) : true;
    if (ok) kept++;
    return ok;
  };
  const batches = last ? lastBatches(events, keep, last) : filtered(events, keep);
  // The output waits for the reader (back-pressure) and stops quietly when it goes away (| head).
  const out = createOutputWriter(process.stdout);
  for await (const batch of batches) {
    for (const e of batch) {
      const wait = writeRendered(out, e);
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

async function* renderedBatches(events: AsyncGenerator<KEvent[]>, spec: RenderSpec): AsyncGenerator<RenderedEvent[]> {
  const render = renderer(spec);
  for await (const batch of events) yield batch.map(render);
}

async function* filtered(events: AsyncGenerator<RenderedEvent[]>, keep: (e: RenderedEvent) => boolean): AsyncGenerator<RenderedEvent[]> {
  for await (const batch of events) {
    const out = batch.filter(keep);
    if (out.length) yield out;
  }
}

/** --last: everything is read first (the end is only known then), holding only the window. */
async function* lastBatches(events: AsyncGenerator<RenderedEvent[]>, keep: (e: RenderedEvent) => boolean, window: LastWindow<RenderedEvent>): AsyncGenerator<RenderedEvent[]> {
  for await (const batch of events) for (const e of batch) if (keep(e)) window.push(e);
  yield window.events();
}

