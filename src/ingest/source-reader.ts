/**
 * One source (a file or stdin) read whole, in batches: framing.ts gives its lines, the source
 * pipeline (pipeline.ts) turns them into events. Yields events in file order (a `journalctl -r`
 * file is read backwards so that its events come out oldest first).
 */
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { Line, SourceHints } from '../../parsers/types.js';
import type { Component, KEvent } from '../model/event.js';
import { countPlainLines, readLines, readLinesReversed } from './framing.js';
import { SourcePipeline } from './pipeline.js';
import { newSourceStats, type SourceStats } from './stats.js';

export interface SourceInput {
  /** A file path, or a stream (stdin). */
  input: string | Readable;
  /** Display name: bundle-relative path, the path as given, or "-". */
  display: string;
  hints: SourceHints;
  /** Why the file is not parsed (not a log, a duplicate); its lines are counted as set aside. */
  setAside?: string;
  /**
   * Records to set aside by their writer (journald identifier) because another source of the run
   * holds them too (kind's journal.log and its kubelet.log/containerd.log extracts).
   */
  skipWriter?: (identifier: string | undefined) => boolean;
  /** The same as plain data (skipWriter is made from it), so that it can cross to a worker thread. */
  twinWriters?: TwinWriters;
  /** A pipe given by name (FIFO, /dev/stdin): read once, forwards (never re-read from its end). */
  stream?: true;
  /** A time near the logs' (from other sources of the run), for year-less timestamps; else the file's mtime. */
  referenceTime?: number;
  /** The cluster of the input it was found in (its events carry it): '' or absent for none. */
  cluster?: string;
}

/** Writers whose records are another source's: all but `keep`, or those in `drop`. */
export type TwinWriters = { keep: readonly string[] } | { drop: readonly string[] };

export function skipTwinWriter(twins: TwinWriters): (identifier: string | undefined) => boolean {
  if ('keep' in twins) {
    const keep = new Set(twins.keep);
    return (id) => !(id !== undefined && keep.has(id));
  }
  const drop = new Set(twins.drop);
  return (id) => id !== undefined && drop.has(id);
}

export interface ReadOptions {
  componentOverride?: Component;
  nextSeq: () => number;
  /** Events per yielded batch: smaller when many sources are merged, to bound memory. */
  batchEvents: number;
  /** Bytes per file read (framing's readChunk): smaller when many sources are open at once. */
  readChunk?: number;
  maxLineBytes?: number;
  /** Reports a problem with this source (the message names the cause; the caller adds the file). */
  onError: (message: string) => void;
}

export interface SourceRun {
  stats: SourceStats;
  events: AsyncGenerator<KEvent[]>;
}

export function readSource(src: SourceInput, opts: ReadOptions): SourceRun {
  const stats = newSourceStats(src.display);
  const onError = (message: string): void => {
    stats.errors.push(message);
    opts.onError(message);
  };
  const events = generate(src, opts, stats, onError);
  return { stats, events: src.cluster ? labelled(events, src.cluster) : events };
}

/**
 * Each event takes its source's cluster here, the one place for it, wherever the source is read
 * (the main thread or a parse worker) and whatever is made of the events after (lines, rows).
 */
async function* labelled(events: AsyncGenerator<KEvent[]>, cluster: string): AsyncGenerator<KEvent[]> {
  for await (const batch of events) {
    for (const e of batch) e.cluster = cluster;
    yield batch;
  }
}

async function referenceTimeOf(input: string | Readable): Promise<number> {
  if (typeof input === 'string') {
    try {
      return (await stat(input)).mtimeMs * 1000;
    } catch {
      // The read itself will report the problem.
    }
  }
  return Date.now() * 1000;
}

async function* generate(
  src: SourceInput,
  opts: ReadOptions,
  stats: SourceStats,
  onError: (message: string) => void,
): AsyncGenerator<KEvent[]> {
  const pipeline = new SourcePipeline(
    {
      file: src.display,
      hints: src.hints,
      // The file's mtime stands in for year-less times when the run has no better reference.
      referenceTime: src.referenceTime ?? (src.setAside ? 0 : await referenceTimeOf(src.input)),
      componentOverride: opts.componentOverride,
      nextSeq: opts.nextSeq,
      setAside: src.setAside,
      skipWriter: src.skipWriter,
      canReverse: typeof src.input === 'string' && !src.stream,
      maxLineBytes: opts.maxLineBytes,
    },
    stats,
  );
  // Lines are taken a batch of events' worth at a time, so a source holds about one batch of
  // events and one read of text while the merge waits on the others.
  const framing = { maxLineBytes: opts.maxLineBytes, onError, batchLines: opts.batchEvents, readChunk: opts.readChunk };
  if (typeof src.input !== 'string' || src.stream) {
    yield* live(readLines(src.input, framing), pipeline);
    return;
  }
  if (src.setAside) {
    // Its lines are only counted: on the bytes when they tell the count alone. A read error
    // falls through to the read below, which reports it as for any file.
    const n = await countPlainLines(src.input, opts.maxLineBytes, opts.readChunk).catch(() => undefined);
    if (n !== undefined) {
      pipeline.countSetAside(n);
      return;
    }
  }
  let lines: AsyncIterable<Line[]> = readLines(src.input, framing);
  let out: KEvent[] = [];
  for (let pass = 0; pass < 2; pass++) {
    let reversing = false;
    for await (const batch of lines) {
      pipeline.pushLines(batch, out);
      if (pass === 0 && pipeline.reversed) {
        reversing = true;
        break; // closes the forward read
      }
      if (out.length >= opts.batchEvents) {
        yield out;
        out = [];
      }
    }
    if (pass === 0 && !reversing) {
      // A file shorter than the sample is chosen for at its end: it may be journalctl -r too.
      pipeline.settle(out);
      reversing = pipeline.reversed;
    }
    if (!reversing) break;
    // journalctl -r: read the file from its end so that events come out oldest first.
    lines = readLinesReversed(src.input as string, framing);
  }
  pipeline.end(out);
  if (out.length) yield out;
}

/**
 * A pipe (stdin, a FIFO) may stay open and quiet for minutes (`kubectl logs -f | ktrail`), so
 * nothing waits for more input than has come:
 * - sampling chooses the envelope from what it holds once SAMPLE_WAIT_MS passed since the first
 *   line (a pipe trickling a line a second would otherwise wait 50 lines for the sample);
 * - events go out as each chunk is parsed, not in batches;
 * - after QUIET_MS without input the event still open for folding is let go, and an empty batch
 *   tells the merge to hand on what it holds (its reorder window);
 * - while input flows, that empty batch comes at least every LIVE_LATENCY_MS, so a steady trickle
 *   is not held in the reorder window either. The reorder window of a pipe is thus what arrives
 *   within that time (local disorder in a pipe is within a few lines, well inside it).
 */
export const SAMPLE_WAIT_MS = 300;
export const QUIET_MS = 100;
export const LIVE_LATENCY_MS = 500;

async function* live(lines: AsyncIterable<Line[]>, pipeline: SourcePipeline): AsyncGenerator<KEvent[]> {
  let out: KEvent[] = [];
  let firstAt = 0;
  let handedOn = Date.now();
  for await (const batch of withQuiet(lines, QUIET_MS)) {
    if (batch === QUIET) {
      pipeline.flushEvent(out);
      if (out.length) yield out;
      out = [];
      yield [];
      handedOn = Date.now();
      continue;
    }
    pipeline.pushLines(batch, out);
    const now = Date.now();
    if (firstAt === 0 && batch.length) firstAt = now;
    if (pipeline.envelope === undefined && firstAt !== 0 && now - firstAt >= SAMPLE_WAIT_MS) pipeline.settle(out);
    if (out.length) yield out;
    out = [];
    if (now - handedOn >= LIVE_LATENCY_MS) {
      yield [];
      handedOn = now;
    }
  }
  pipeline.end(out);
  if (out.length) yield out;
}

const QUIET = Symbol('quiet');

/** The source's items, with QUIET once when nothing came for `ms` (then waiting as long as it takes). */
async function* withQuiet<T>(source: AsyncIterable<T>, ms: number): AsyncGenerator<T | typeof QUIET> {
  const it = source[Symbol.asyncIterator]();
  let pending = false;
  try {
    for (;;) {
      const next = it.next();
      pending = true;
      let timer: NodeJS.Timeout | undefined;
      const first = await Promise.race([next, new Promise<typeof QUIET>((resolve) => (timer = setTimeout(() => resolve(QUIET), ms)))]);
      clearTimeout(timer);
      if (first === QUIET) yield QUIET;
      const result = first === QUIET ? await next : first;
      pending = false;
      if (result.done) return;
      yield result.value;
    }
  } finally {
    // A read still waiting on the pipe is left to it: return() would queue behind that read.
    if (!pending) await it.return?.();
  }
}
