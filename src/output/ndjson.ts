/**
 * NDJSON output in pino's shape: `level` as pino's numbers, `time` in epoch milliseconds, `msg`,
 * plus ktrail's own keys. pino itself formats the lines, so that anything that reads pino logs
 * (pino-pretty, log shippers) reads ktrail's events; the lines go out through an OutputWriter,
 * which waits for the reader (pino's own asynchronous destination never does, so its buffer grew
 * with the input and was copied over and over).
 */
import pino, { type Logger } from 'pino';
import type { KEvent } from '../model/event.js';
import { eventRecord } from './event-json.js';
import type { OutputWriter } from './writer.js';

export interface NdjsonSink {
  /** Formats one event; returns a promise when the caller should wait for the reader. */
  write(e: KEvent): Promise<void> | undefined;
  /** Writes what is buffered; resolves once the stream has taken it. */
  close(): Promise<void>;
}

export { eventRecord, eventJson } from './event-json.js';

export function createNdjsonSink(out: OutputWriter): NdjsonSink {
  // pino writes each formatted line synchronously to this destination, which hands it on to the
  // writer (chunked, with back-pressure) and remembers whether the caller must wait.
  let wait: Promise<void> | undefined;
  const destination = {
    write(line: string): void {
      wait = out.write(line) ?? wait;
    },
  };
  const logger: Logger = pino(
    {
      level: 'trace',
      base: null,
      timestamp: false,
      messageKey: 'msg',
      // Keep "time" as ktrail sets it (the event's time, not the moment of writing).
    },
    destination,
  );
  return {
    write(e) {
      logger[e.severity](eventRecord(e), e.message);
      const w = wait;
      wait = undefined;
      return w;
    },
    close() {
      return out.flush();
    },
  };
}
