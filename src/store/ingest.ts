/**
 * One ingest run: register every source, read the merged stream of those that need it, commit it
 * in batches, and mark them complete together at the end. The caller opens the stream (with
 * src/ingest/run.ts), so this module does not depend on how inputs are found or parsed:
 *
 *   const inputs = await resolveInputs(paths, stdin, onError);
 *   const metas = await Promise.all(inputs.map((i) =>
 *     typeof i.input === 'string' ? describeSource(i.input, i.display) : { path: '-', display: i.display }));
 *   await ingestEventStream(createWriter(store), metas, (toRead) =>
 *     openSources(inputs.filter((i) => toRead.some((m) => m.display === i.display)), opts));
 *
 * Events are routed by source.file, which must equal the meta's display.
 */
import type { KEvent } from '../model/event.js';
import type { SourceMeta } from './fingerprint.js';
import type { EventWriter } from './store.js';
import { startPhase, timePhase } from '../util/phase-timing.js';

/** The shape of src/ingest/run.ts's EventStream that the store needs. */
export interface MergedStream {
  /** Per-source stats by display name, complete once `events` is exhausted. */
  stats: readonly ({ file: string } & object)[];
  events: AsyncIterable<KEvent[]>;
}

export interface IngestSummary {
  /** Displays of the sources read now. */
  ingested: string[];
  /** Displays of the sources already stored complete (same path and fingerprint). */
  skipped: string[];
  events: number;
  /** Events deleted from killed or outdated earlier ingests of the same paths. */
  discardedEvents: number;
}

export async function ingestEventStream(
  writer: EventWriter,
  metas: readonly SourceMeta[],
  open: (toRead: readonly SourceMeta[]) => MergedStream | Promise<MergedStream>,
): Promise<IngestSummary> {
  const ids = new Map<string, number>();
  const toRead: SourceMeta[] = [];
  const summary: IngestSummary = { ingested: [], skipped: [], events: 0, discardedEvents: 0 };
  const seen = new Set<string>();
  for (const meta of metas) {
    if (seen.has(meta.display)) throw new Error(`two inputs are both named ${meta.display}: events could not be told apart`);
    seen.add(meta.display);
  }
  for (const meta of metas) {
    const begin = writer.beginSource(meta);
    summary.discardedEvents += begin.discardedEvents;
    if (begin.skip) {
      summary.skipped.push(meta.display);
      continue;
    }
    ids.set(meta.display, begin.id);
    toRead.push(meta);
    summary.ingested.push(meta.display);
  }
  if (toRead.length === 0) {
    writer.close();
    return summary;
  }
  const parsed = startPhase('parse+write');
  const stream = await open(toRead);
  for await (const batch of stream.events) summary.events += writer.addMergedEvents(batch, ids);
  const byFile = new Map(stream.stats.map((s) => [s.file, s]));
  writer.completeSources(toRead.map((m) => ({ id: ids.get(m.display)!, stats: byFile.get(m.display) })));
  parsed();
  // After a first (bulk) ingest, closing builds the indexes.
  timePhase('indexes', () => writer.close());
  return summary;
}
