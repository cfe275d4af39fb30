/**
 * The whole read side in one call: inputs (paths, or stdin) to one time-ordered stream of
 * events, with per-source accounting. The CLI, the store's ingest, the TUI and the CI mode all
 * start here, so nothing is parsed in two ways.
 */
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import type { Component, KEvent } from '../model/event.js';
import { discoverSources } from './discover.js';
import { mergeByTime } from './merge.js';
import { findReferenceTime } from './reference-time.js';
import { readSource, type SourceInput } from './source-reader.js';
import type { SourceStats } from './stats.js';

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
  files.forEach((f, i) => {
    const writers = f.alsoIn ? UNIT_WRITERS[basename(f.path)] : undefined;
    if (!writers || inputs[i]!.setAside) return;
    const keep = new Set(writers);
    inputs[i]!.skipWriter = (id) => !(id !== undefined && keep.has(id));
    const drop = dropFromJournal.get(f.alsoIn!) ?? new Set<string>();
    for (const w of writers) drop.add(w);
    dropFromJournal.set(f.alsoIn!, drop);
  });
  files.forEach((f, i) => {
    const drop = dropFromJournal.get(f.path);
    if (drop) inputs[i]!.skipWriter = (id) => id !== undefined && drop.has(id);
  });
  return inputs;
}

export function openSources(sources: SourceInput[], opts: OpenOptions): EventStream {
  const batchEvents = Math.max(16, Math.min(2000, Math.floor(EVENT_BUDGET / Math.max(1, sources.length))));
  const readChunk = Math.max(64 * 1024, Math.min(1024 * 1024, Math.floor(READ_BUDGET / Math.max(1, sources.length))));
  const stats: SourceStats[] = [];
  const runs = sources.map((src, index) => {
    let local = 0;
    const run = readSource(src, {
      componentOverride: opts.componentOverride,
      maxLineBytes: opts.maxLineBytes,
      batchEvents,
      readChunk,
      nextSeq: () => index * SOURCE_STRIDE + ++local,
      onError: (message) => opts.onError(src.display, message),
    });
    stats.push(run.stats);
    return run.events;
  });
  return { stats, events: renumber(mergeByTime(runs), clusterLabels(sources)) };
}

/** Each named source's cluster by display name; undefined when no source has one. */
function clusterLabels(sources: readonly SourceInput[]): Map<string, string> | undefined {
  const named = sources.filter((s) => s.cluster);
  return named.length ? new Map(named.map((s) => [s.display, s.cluster!])) : undefined;
}

/**
 * Gives the merged stream its final sequence numbers: 1, 2, 3... in output order; and each event
 * the cluster of its source, where the source has one.
 */
async function* renumber(events: AsyncGenerator<KEvent[]>, clusters: Map<string, string> | undefined): AsyncGenerator<KEvent[]> {
  let seq = 0;
  for await (const batch of events) {
    for (const e of batch) {
      e.seq = ++seq;
      const cluster = clusters?.get(e.source.file);
      if (cluster !== undefined) e.cluster = cluster;
    }
    yield batch;
  }
}

export async function openEventStream(
  paths: string[],
  stdin: Readable | undefined,
  opts: OpenOptions,
): Promise<EventStream> {
  return openSources(await resolveInputs(paths, stdin, opts.onError), opts);
}
