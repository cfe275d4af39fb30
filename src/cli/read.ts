/**
 * `ktrail [PATH...]`: every input to one time-ordered stream, printed as text, NDJSON or the
 * original lines.
 */
import type { Component, KEvent, Severity } from '../model/event.js';
import { openSources, resolveInputs } from '../ingest/run.js';
import { compileSimpleFilter, parseComponents, parseDuration, parseLevel, parseTimeArg } from '../ingest/filter.js';
import { LastWindow, TimeSpan } from '../ingest/last-window.js';
import { formatMicros } from '../util/time.js';
import { UsageError } from './usage-error.js';
import { colorEnabled, makeChalk } from '../output/colors.js';
import { formatEventLine, formatRaw } from '../output/text.js';
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
  let last: LastWindow | undefined;
  if (flags.last !== undefined) {
    const span = parseDuration(flags.last);
    if (span === undefined) throw new UsageError(`--last wants a duration (10m, 2h, 30s), not "${flags.last}"`);
    last = new LastWindow(span);
  }
  const stdin = paths.length === 0 && !process.stdin.isTTY ? process.stdin : undefined;
  if (paths.length === 0 && !stdin) {
    process.stderr.write('ktrail: no input: give files or directories, or pipe logs in (ktrail --help)\n');
    return 2;
  }
  const offsets = flags.fixSkew ? await (await import('./fix-skew.js')).skewOffsets(paths, stdin !== undefined, componentOverride(flags)) : undefined;
  const onError = (file: string, message: string): void => diag.warn(file, message);
  const inputs = await resolveInputs(paths, stdin, onError);
  const stream = openSources(inputs, { componentOverride: componentOverride(flags), onError });
  const events = offsets ? (await import('../correlate/skew-fix.js')).shiftedBatches(stream.events, offsets) : stream.events;
  // Bundles of several clusters read together: each line says whose it is.
  const showCluster = flags.cluster === undefined && new Set(inputs.map((i) => i.cluster ?? '')).size > 1;

  // The input's time span, and whether the time filter alone left nothing.
  const span = new TimeSpan();
  let kept = 0;
  const keep = (e: KEvent): boolean => {
    span.see(e.time);
    const ok = filter ? filter(e) : true;
    if (ok) kept++;
    return ok;
  };
  const batches = last ? lastBatches(events, keep, last) : filtered(events, keep);
  // Both outputs wait for the reader (back-pressure) and stop quietly when it goes away (| head).
  const out = createOutputWriter(process.stdout);
  if (flags.output === 'json') {
    // pino is loaded only for JSON output.
    const { createNdjsonSink } = await import('../output/ndjson.js');
    const sink = createNdjsonSink(out);
    for await (const batch of batches) {
      for (const e of batch) {
        const wait = sink.write(e);
        if (wait) await wait;
      }
      // Each batch goes out when it is done, so a live pipe (kubectl logs -f | ktrail) is not held.
      await out.flush();
      if (out.closed()) break;
    }
    await sink.close();
  } else {
    const tty = process.stdout.isTTY === true;
    const c = makeChalk(colorEnabled(process.stdout));
    for await (const batch of batches) {
      for (const e of batch) {
        const line = flags.output === 'raw' ? formatRaw(e, tty) : formatEventLine(e, c, showCluster);
        const wait = out.write(line + '\n');
        if (wait) await wait;
      }
      await out.flush();
      if (out.closed()) break;
    }
  }
  if (kept === 0 && (since !== undefined || until !== undefined) && !span.empty && ((since !== undefined && since > span.last) || (until !== undefined && until < span.first))) {
    process.stderr.write(
      `ktrail: the time filter selects nothing: the input runs from ${formatMicros(span.first)} to ${formatMicros(span.last)}` +
        ` (--since/--until durations count back from now; --last 10m counts back from the input's end)\n`,
    );
  }
  return diag.count > 0 ? 1 : 0;
}

async function* filtered(events: AsyncGenerator<KEvent[]>, keep: (e: KEvent) => boolean): AsyncGenerator<KEvent[]> {
  for await (const batch of events) {
    const out = batch.filter(keep);
    if (out.length) yield out;
  }
}

/** --last: everything is read first (the end is only known then), holding only the window. */
async function* lastBatches(events: AsyncGenerator<KEvent[]>, keep: (e: KEvent) => boolean, window: LastWindow): AsyncGenerator<KEvent[]> {
  for await (const batch of events) for (const e of batch) if (keep(e)) window.push(e);
  yield window.events();
}

