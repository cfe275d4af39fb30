/**
 * One source (a file or stdin) from bytes to events: framing, envelope detection and reading,
 * document formats (EventLists), and the assembler. Yields events in batches, in file order
 * (reversed journald files are read backwards so that they come out oldest first).
 */
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { DocumentItem, DocumentParser, EnvelopeParser, Line, SourceHints } from '../../parsers/types.js';
import { detectEnvelope } from '../../parsers/envelope/detect.js';
import { isReversed } from '../../parsers/envelope/journald.js';
import { DOCUMENTS } from '../../parsers/payload/index.js';
import type { Component, KEvent } from '../model/event.js';
import { EventAssembler } from './assemble.js';
import { readLines, readLinesReversed } from './framing.js';
import { newSourceStats, type SourceStats } from './stats.js';

/** Lines looked at to detect the envelope. */
const SAMPLE_LINES = 50;

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
  /** A time near the logs' (from other sources of the run), for year-less timestamps; else the file's mtime. */
  referenceTime?: number;
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
  const lines = readLines(src.input, { maxLineBytes: opts.maxLineBytes, onError });
  if (src.setAside) {
    stats.setAsideReason = src.setAside;
    stats.envelope = 'set-aside';
    for await (const batch of lines) {
      stats.linesRead += batch.length;
      stats.setAside += batch.length;
    }
    return;
  }

  // Gather a sample for detection. The same line iterator then goes on from where the sample
  // stopped, so no byte is read twice (a `for await` with `break` would close it).
  const it = lines[Symbol.asyncIterator]();
  const head: Line[] = [];
  let nonEmpty = 0;
  let exhausted = false;
  while (nonEmpty < SAMPLE_LINES) {
    const next = await it.next();
    if (next.done) {
      exhausted = true;
      break;
    }
    for (const l of next.value) {
      head.push(l);
      if (l.text.trim() !== '') nonEmpty++;
    }
  }
  const rest: AsyncIterable<Line[]> = { [Symbol.asyncIterator]: () => it };
  const sample = head.filter((l) => l.text.trim() !== '').slice(0, SAMPLE_LINES).map((l) => l.text);
  const headText = head
    .slice(0, 200)
    .map((l) => l.text)
    .join('\n')
    .slice(0, 4096);

  const referenceTime = src.referenceTime ?? (await referenceTimeOf(src.input));
  const document = DOCUMENTS.find((d) => d.detect(headText, src.display));
  if (document) {
    yield* readDocument(document, exhausted ? once(head) : chain(head, rest), stats, src, opts);
    return;
  }

  const envelope: EnvelopeParser = detectEnvelope(sample);
  stats.envelope = envelope.name;
  const reader = envelope.create({ file: src.display, hints: src.hints, referenceTime });
  const assembler = new EventAssembler(
    {
      file: src.display,
      envelope: envelope.name,
      hints: src.hints,
      referenceTime,
      componentOverride: opts.componentOverride,
      nextSeq: opts.nextSeq,
    },
    stats,
  );

  // journalctl -r: read the file from its end so that events come out oldest first.
  const reversed = envelope.name.startsWith('journald') && isReversed(sample) && typeof src.input === 'string';
  let source: AsyncIterable<Line[]>;
  if (reversed) {
    await it.return?.(undefined);
    source = readLinesReversed(src.input as string, { maxLineBytes: opts.maxLineBytes, onError });
  } else {
    source = exhausted ? once(head) : chain(head, rest);
  }

  const skip = src.skipWriter;
  let out: KEvent[] = [];
  for await (const batch of source) {
    stats.linesRead += batch.length;
    for (const line of batch) {
      for (const record of reader.push(line)) {
        if (skip && record.kind === 'record' && skip(record.hints.identifier)) {
          stats.setAside += record.physicalLines ?? record.lastLine - record.firstLine + 1;
        } else {
          assembler.push(record, out);
        }
      }
    }
    if (out.length >= opts.batchEvents) {
      yield out;
      out = [];
    }
  }
  for (const record of reader.end()) {
    if (skip && record.kind === 'record' && skip(record.hints.identifier)) {
      stats.setAside += record.physicalLines ?? record.lastLine - record.firstLine + 1;
    } else {
      assembler.push(record, out);
    }
  }
  assembler.end(out);
  if (out.length) yield out;
}

async function* once(lines: Line[]): AsyncGenerator<Line[]> {
  if (lines.length) yield lines;
}

async function* chain(first: Line[], rest: AsyncIterable<Line[]>): AsyncGenerator<Line[]> {
  if (first.length) yield first;
  yield* rest;
}

/** An EventList (JSON or YAML): the document reader finds its items and their line spans. */
async function* readDocument(
  document: DocumentParser,
  lines: AsyncIterable<Line[]>,
  stats: SourceStats,
  src: SourceInput,
  opts: ReadOptions,
): AsyncGenerator<KEvent[]> {
  stats.envelope = 'document';
  const reader = document.create();
  let out: KEvent[] = [];
  const emit = (item: DocumentItem): void => {
    const r = item.result;
    const component: Component = opts.componentOverride ?? r.component ?? src.hints.component ?? 'event';
    const event: KEvent = {
      seq: opts.nextSeq(),
      time: r.time ?? 0,
      component,
      severity: r.severity,
      message: r.message,
      fields: r.fields,
      objects: r.objects,
      source: { file: src.display, line: item.firstLine, endLine: item.lastLine, format: `document/${r.format}` },
      raw: item.raw,
      format: r.format,
    };
    if (r.time === undefined) event.timeInferred = 'none';
    const host = r.host ?? src.hints.host;
    if (host) event.host = host;
    stats.events++;
    stats.folded += item.lastLine - item.firstLine;
    stats.formats[r.format] = (stats.formats[r.format] ?? 0) + 1;
    stats.components[component] = (stats.components[component] ?? 0) + 1;
    out.push(event);
  };
  for await (const batch of lines) {
    stats.linesRead += batch.length;
    for (const line of batch) for (const item of reader.push(line)) emit(item);
    if (out.length >= opts.batchEvents) {
      yield out;
      out = [];
    }
  }
  for (const item of reader.end()) emit(item);
  stats.setAside += reader.setAside;
  if (out.length) yield out;
}
