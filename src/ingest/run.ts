/**
 * The whole read side in one call: inputs (paths, or stdin) to one time-ordered stream of
 * events, with per-source accounting. The CLI, the store's ingest, the TUI and the CI mode all
 * start here, so nothing is parsed in two ways.
 */
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import type { Component, KEvent } from '../model/event.js';
import { discoverSources } from './discover.js';
import { mergeByTime, mergeLines, type Picks } from './merge.js';
import { findReferenceTime } from './reference-time.js';
import { readSource, skipTwinWriter, type SourceInput, type TwinWriters } from './source-reader.js';
import type { SourceStats } from './stats.js';
import { inputBytes } from './input-bytes.js';
import { workerCount } from './workers/plan.js';
import { ParsePool } from './workers/pool.js';
import { fileWork } from './workers/work.js';
import { BATCHES_AHEAD, type StoredFormSpec, type WireReadOptions } from './workers/protocol.js';
import type { LineBatch } from '../output/line-batch.js';
import type { RenderSpec } from '../output/render.js';

/**
 * Events held in memory across all sources' batches, so memory stays bounded for any fan-in: the
 * merge holds every source's current batch at once. With READ_BUDGET, measured on the simulated
 * mixed bundle (76 and 86 files): peak RSS reading was 638 / 806 MB at scale 20 / 60 with 50k
 * events and 1 MiB reads per source, 265 MB at scale 60 with these, at the same CPU time.
 */
const EVENT_BUDGET = 10_000;
/**
 * Bytes of file reads held across all sources (each holds about two reads' worth of text: the
 * read and the decoded string its lines point into), between 64 KiB and 1 MiB per source.
 */
const READ_BUDGET = 8 * 1024 * 1024;
/** Sequence numbers: source index in the high bits, arrival within the source in the low ones. */
const SOURCE_STRIDE = 2 ** 32;

export interface OpenOptions {
  componentOverride?: Component;
  maxLineBytes?: number;
  /** A problem with one input: the run goes on with the others. */
  onError: (file: string, message: string) => void;
  /**
   * For a store's ingest: events parsed on a worker come in their stored form, made there
   * (src/store/stored-form.ts; the writer makes it for the others).
   */
  storedForm?: StoredFormSpec;
}

export interface EventStream {
  /** Filled in as sources are read; complete once `events` is exhausted. */
  stats: SourceStats[];
  events: AsyncGenerator<KEvent[]>;
}

/** Resolves the inputs: discovered files and bundles for paths, or the given stream. */
export async function resolveInputs(
  paths: string[],
  stdin: Readable | undefined,
  onError: (file: string, message: string) => void,
): Promise<SourceInput[]> {
  if (paths.length === 0) {
    return stdin ? [{ input: stdin, display: '-', hints: {} }] : [];
  }
  const files = await discoverSources(paths, { warn: onError });
  // A binary file among logs is worth saying out loud (a wrong path, a core dump); the other files
  // set aside (inspect.json, containers/ twins) are expected and only show in the accounting.
  for (const f of files) if (f.setAside?.startsWith('binary')) onError(f.display, `set aside: ${f.setAside}`);
  // Year-less timestamps (journald short, bare klog) take their year from the run's own full
  // timestamps: a copied bundle's file times are the copy's.
  // A pipe is not among them: what is read of it to look is lost to the read itself.
  const referenceTime = await findReferenceTime(files.filter((f) => !f.setAside && !f.stream).map((f) => f.path));
  return withoutJournalTwins(
    files.map((f) => ({
      input: f.stdin ? (stdin ?? process.stdin) : f.path,
      display: f.display,
      hints: f.hints,
      setAside: f.setAside,
      referenceTime,
      stream: f.stream,
      cluster: f.cluster,
    })),
    files,
  );
}

/** The journald writers a per-unit extract of kind's journal holds, by its file name. */
const UNIT_WRITERS: Record<string, readonly string[]> = {
  'kubelet.log': ['kubelet', 'kubenswrapper'],
  'containerd.log': ['containerd'],
};

/**
 * kind exports the node's whole journal (journal.log) and per-unit extracts of it (kubelet.log,
 * containerd.log): every line of an extract is also in the journal. Each line is read once: the
 * extract keeps its unit's own writer (so kubelet.log still names the kubelet), and the journal
 * keeps everything else; the lines dropped on either side are counted as set aside.
 */
function withoutJournalTwins(inputs: SourceInput[], files: readonly { path: string; alsoIn?: string }[]): SourceInput[] {
  const dropFromJournal = new Map<string, Set<string>>();
  const twins = (input: SourceInput, writers: TwinWriters): void => {
    input.twinWriters = writers;
    input.skipWriter = skipTwinWriter(writers);
  };
  files.forEach((f, i) => {
    const writers = f.alsoIn ? UNIT_WRITERS[basename(f.path)] : undefined;
    if (!writers || inputs[i]!.setAside) return;
    twins(inputs[i]!, { keep: writers });
    const drop = dropFromJournal.get(f.alsoIn!) ?? new Set<string>();
    for (const w of writers) drop.add(w);
    dropFromJournal.set(f.alsoIn!, drop);
  });
  files.forEach((f, i) => {
    const drop = dropFromJournal.get(f.path);
    if (drop) twins(inputs[i]!, { drop: [...drop] });
  });
  return inputs;
}

export function openSources(sources: SourceInput[], opts: OpenOptions): EventStream {
  return openMerged(sources, opts, undefined);
}

/**
 * The same stream as openSources, each event already rendered as its output line
 * (src/output/render.ts): what `ktrail PATH` prints, with only the lines' bytes crossing from the
 * workers, merged as picks of lines (the final sequence numbers written into their batches).
 */
export function openRenderedSources(sources: SourceInput[], opts: OpenOptions, spec: RenderSpec): Stream<Picks> {
  return openMerged(sources, opts, spec);
}

interface Stream<T> {
  stats: SourceStats[];
  events: AsyncGenerator<T>;
}

function openMerged(sources: SourceInput[], opts: OpenOptions, spec: undefined): Stream<KEvent[]>;
function openMerged(sources: SourceInput[], opts: OpenOptions, spec: RenderSpec): Stream<Picks>;
function openMerged(sources: SourceInput[], opts: OpenOptions, spec: RenderSpec | undefined): Stream<KEvent[] | Picks> {
  const batchEvents = Math.max(16, Math.min(2000, Math.floor(EVENT_BUDGET / Math.max(1, sources.length))));
  const readChunk = Math.max(64 * 1024, Math.min(1024 * 1024, Math.floor(READ_BUDGET / Math.max(1, sources.length))));
  const readOptions = { componentOverride: opts.componentOverride, maxLineBytes: opts.maxLineBytes, batchEvents, readChunk };
  const runs = sources.map((src, index) => {
    let local = 0;
    return readSource(src, {
      ...readOptions,
      nextSeq: () => index * SOURCE_STRIDE + ++local,
      onError: (message) => opts.onError(src.display, message),
    });
  });
  // Every source's stats object is handed out now; a source read on a worker fills the same one.
  const stats = runs.map((r) => r.stats);
  async function* events(): AsyncGenerator<KEvent[] | Picks> {
    const render = spec && (await import('../output/render.js')).lineBatcher(spec);
    const streams: AsyncGenerator<KEvent[] | LineBatch>[] = runs.map((r) => (render ? rendered(r.events, render) : r.events));
    const pool = await parallelize(sources, streams, stats, { ...readOptions, onError: opts.onError, render: spec, storedForm: opts.storedForm });
    try {
      if (render) yield* renumberPicks(mergeLines(streams as AsyncGenerator<LineBatch>[]));
      else yield* renumber(mergeByTime(streams as AsyncGenerator<KEvent[]>[]));
    } finally {
      await pool?.close();
    }
  }
  return { stats, events: events() };
}

/** A main-thread source's events rendered as they come (each took its cluster in readSource). */
async function* rendered(events: AsyncGenerator<KEvent[]>, render: (events: readonly KEvent[]) => LineBatch): AsyncGenerator<LineBatch> {
  for await (const batch of events) {
    const lines = render(batch);
    // This frame (and readSource's, which yielded the same array) keeps `batch` until the merge
    // asks again, after every other source's turn: emptied, the events die young instead of
    // being copied by each young-generation GC meanwhile and promoted (a third of the read's GC).
    batch.length = 0;
    yield lines;
  }
}

/**
 * The plain files among the sources go to parse workers when they are big enough to gain
 * (workers/plan.ts); their streams in `streams` are replaced in place. Pipes, stdin and sources
 * set aside stay on the main thread.
 */
async function parallelize(
  sources: readonly SourceInput[],
  streams: AsyncGenerator<KEvent[] | LineBatch>[],
  stats: readonly SourceStats[],
  opts: Omit<WireReadOptions, 'seqBase'> & Pick<OpenOptions, 'onError'>,
): Promise<ParsePool | undefined> {
  const files = sources.flatMap((src, index) => (typeof src.input === 'string' && !src.stream && !src.setAside ? [{ src, index, path: src.input }] : []));
  if (files.length === 0) return undefined;
  // A file's bytes are what it yields, a gzip file's uncompressed size. By their sizes on disk,
  // the scale-20 bundle's two compressed coredns rotations (1.2 MB, 10 MB unpacked) left one
  // worker 89 MB to parse and the other 70 MB (79 and 80 this way), and the read waited on the first.
  const sizes = await Promise.all(files.map((f) => stat(f.path).then((s) => (s.isFile() ? inputBytes(f.path) : 0)).catch(() => 0)));
  const size = workerCount(sizes.reduce((a, b) => a + b, 0), files.length);
  if (size === 0) return undefined;
  // The files are shared out by their work: their bytes and their lines (workers/work.ts).
  const work = await Promise.all(files.map((f, i) => (sizes[i]! > 0 ? fileWork(f.path, sizes[i]!) : 0)));
  const { onError, ...read } = opts;
  const pool = new ParsePool(size);
  const remote = pool.open(
    files.map(({ src, index, path }, i) => ({
      src: { path, display: src.display, hints: src.hints, referenceTime: src.referenceTime, twinWriters: src.twinWriters, cluster: src.cluster },
      // A source on a worker has up to BATCHES_AHEAD batches in flight: smaller ones keep the
      // events held across all sources within the same budget.
      opts: { ...read, batchEvents: Math.max(16, Math.ceil(read.batchEvents / BATCHES_AHEAD)), seqBase: index * SOURCE_STRIDE },
      work: work[i]!,
      stats: stats[index]!,
      onError: (message: string) => onError(src.display, message),
    })),
  );
  files.forEach((f, i) => (streams[f.index] = remote[i]!));
  return pool;
}

/** Gives the merged stream its final sequence numbers: 1, 2, 3... in output order. */
async function* renumber(events: AsyncGenerator<KEvent[]>): AsyncGenerator<KEvent[]> {
  let seq = 0;
  for await (const batch of events) {
    for (const e of batch) e.seq = ++seq;
    yield batch;
  }
}

/** renumber for picked lines: each line's final number goes into its batch's column. */
async function* renumberPicks(picks: AsyncGenerator<Picks>): AsyncGenerator<Picks> {
  let seq = 0;
  for await (const p of picks) {
    for (let k = 0; k < p.at.length; k++) p.from[k]!.seq[p.at[k]!] = ++seq;
    yield p;
  }
}

export async function openEventStream(
  paths: string[],
  stdin: Readable | undefined,
  opts: OpenOptions,
): Promise<EventStream> {
  return openSources(await resolveInputs(paths, stdin, opts.onError), opts);
}
