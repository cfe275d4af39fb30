/**
 * NDJSON output in pino's shape: `level` as pino's numbers, `time` in epoch milliseconds, `msg`,
 * plus ktrail's own keys. pino itself writes the lines (through its fast sonic-boom destination),
 * so that anything that reads pino logs (pino-pretty, log shippers) reads ktrail's events.
 */
import pino, { type Logger } from 'pino';
import { PINO_LEVEL, type KEvent } from '../model/event.js';

export interface NdjsonSink {
  write(e: KEvent): void;
  /** Flushes buffered output; resolves once everything is written. */
  close(): Promise<void>;
}

/** The JSON-ready shape of an event (also used by other machine outputs). */
export function eventRecord(e: KEvent): Record<string, unknown> {
  const rec: Record<string, unknown> = {
    time: Math.floor(e.time / 1000),
    timeUs: e.time,
    seq: e.seq,
    component: e.component,
    severity: e.severity,
  };
  if (e.host !== undefined) rec.host = e.host;
  if (e.timeInferred) rec.timeInferred = e.timeInferred;
  if (e.verbosity !== undefined) rec.v = e.verbosity;
  if (e.caller) rec.caller = e.caller;
  rec.fields = e.fields;
  rec.objects = e.objects;
  rec.source = { file: e.source.file, line: e.source.line, endLine: e.source.endLine, format: e.source.format };
  rec.raw = e.raw;
  if (e.truncated) rec.truncated = true;
  return rec;
}

/** The same record as one pino line carries it (level number and msg included), for JSON documents. */
export function eventJson(e: KEvent): Record<string, unknown> {
  return { level: PINO_LEVEL[e.severity], ...eventRecord(e), msg: e.message };
}

export function createNdjsonSink(fd = 1): NdjsonSink {
  const destination = pino.destination({ dest: fd, minLength: 64 * 1024, maxWrite: 1024 * 1024, sync: false });
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
    },
    close() {
      return new Promise((resolve) => {
        destination.flush(() => resolve());
      });
    },
  };
}
