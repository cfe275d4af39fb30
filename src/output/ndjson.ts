/**
 * NDJSON output in pino's shape (event-json.ts): one JSON.stringify per event, out through an
 * OutputWriter, which waits for the reader. pino itself formatted the lines before: the bytes are
 * the same (test/src/output/ndjson.test.ts holds them equal to pino's own on real events), but
 * pino builds each line key by key and its formatting was half of `-o json`'s time (profiled on the
 * scale-20 bundle: pino's stringify/asJson/asString 4.4 s of 15.8 s).
 */
import type { KEvent } from '../model/event.js';
import { eventJson } from './event-json.js';
import type { OutputWriter } from './writer.js';

export interface NdjsonSink {
  /** Formats one event; returns a promise when the caller should wait for the reader. */
  write(e: KEvent): Promise<void> | undefined;
  /** Writes what is buffered; resolves once the stream has taken it. */
  close(): Promise<void>;
}

export { eventRecord, eventJson } from './event-json.js';

/** One event's NDJSON line, newline included. */
export function ndjsonLine(e: KEvent): string {
  return JSON.stringify(eventJson(e)) + '\n';
}

export function createNdjsonSink(out: OutputWriter): NdjsonSink {
  return {
    write: (e) => out.write(ndjsonLine(e)),
    close: () => out.flush(),
  };
}
