/** Reads a path through the real ingest pipeline, as the corpus tests do, keeping what it reports. */
import { openEventStream } from '../../src/ingest/run.js';
import type { SourceStats } from '../../src/ingest/stats.js';
import type { KEvent } from '../../src/model/event.js';

/** Every event read from `path`, the per-source stats, and the errors the stream reported ("file: message"). */
export async function readAll(path: string): Promise<{ events: KEvent[]; stats: SourceStats[]; errors: string[] }> {
  const errors: string[] = [];
  const stream = await openEventStream([path], undefined, { onError: (f, m) => errors.push(`${f}: ${m}`) });
  const events: KEvent[] = [];
  for await (const b of stream.events) events.push(...b);
  return { events, stats: stream.stats, errors };
}
