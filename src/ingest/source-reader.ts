/**
 * One source (a file or stdin) read whole, in batches: framing.ts gives its lines, the source
 * pipeline (pipeline.ts) turns them into events. Yields events in file order (a `journalctl -r`
 * file is read backwards so that its events come out oldest first).
 */
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { Line, SourceHints } from '../../parsers/types.js';
import type { Component, KEvent } from '../model/event.js';
import { readLines, readLinesReversed } from './framing.js';
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
  /** A pipe given by name (FIFO, /dev/stdin): read once, forwards (never re-read from its end). */
  stream?: true;
  /** A time near the logs' (from other sources of the run), for year-less timestamps; else the file's mtime. */
  referenceTime?: number;
  /** The cluster of the input it was found in (its events carry it): '' or absent for none. */
  cluster?: string;
}

export interface ReadOptions {
  componentOverride?: Component;
  nextSeq: () => number;
  /** Events per yielded batch: smaller when many sources are merged, to bound memory. */
  batchEvents: number;
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
  return { stats, events: generate(src, opts, stats, onError) };
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
  const framing = { maxLineBytes: opts.maxLineBytes, onError };
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
