/**
 * NDJSON output in pino's shape (event-json.ts): one JSON.stringify per event, out through an
 * OutputWriter, which waits for the reader. pino itself formatted the lines before: the bytes are
 * the same (test/src/output/ndjson.test.ts holds them equal to pino's own on real events), but
 * pino builds each line key by key and its formatting was half of `-o json`'s time (profiled on the
 * scale-20 bundle: pino's stringify/asJson/asString 4.4 s of 15.8 s).
 *
 * JSON.stringify is still most of what is left of formatting (2.7 s of a 13.6 s single-thread
 * run), and a line built by hand is not faster on Node 20: written key by key with a regex test
 * per string (only strings that need escaping through JSON.stringify), byte-identical on 150k
 * events of the scale-20 bundle, it took 1.2-1.4 s where JSON.stringify took 0.75-0.87 s, and
 * allocated 6.6 KB per event where JSON.stringify allocates 2.9 KB (a concatenated line is a tree
 * of pieces, flattened after). Measured in one process, side by side.
 *
 * Nor is a line in parts (one stringify up to `objects`, the source's file and format as JSON text
 * made once per source, then raw and msg): identical on the scale-20 bundle's audit, CoreDNS and
 * apiserver files, and no faster (12.2 against 13.0 µs an audit line, 12.5 against 11.2 an
 * apiserver line, on a loaded machine). JSON.stringify's cost is its characters (about 2.6 ns
 * each here, escapes included), and escaping by hand is slower still: a regex test for what
 * needs more than `\"` and a replaceAll of the quotes took 3.1 µs for an audit line's raw text
 * where JSON.stringify took 1.7 µs.
 *
 * What did help: fewer calls. Each call builds its result in parts that start small, and a long
 * string that may not fit the current part is escaped through a slower path; render.ts (the read
 * path) stringifies a group of records as one array and cuts it at the records' bounds.
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
  return ndjsonRecord(e) + '\n';
}

/**
 * The line without its newline: the one flat string JSON.stringify made. render.ts writes the
 * newline as a byte of its own, since `line + '\n'` is a pair of strings that the next read of it
 * copies into a new flat one (a 1.3 KB copy per audit line, and garbage for the scavenger).
 */
export function ndjsonRecord(e: KEvent): string {
  return JSON.stringify(eventJson(e));
}

export function createNdjsonSink(out: OutputWriter): NdjsonSink {
  return {
    write: (e) => out.write(ndjsonLine(e)),
    close: () => out.flush(),
  };
}
