/**
 * The JSON shape of an event, shared by the NDJSON sink (pino writes it) and the JSON documents of
 * trace, query and export. Apart from ndjson.ts so that those commands do not load pino.
 */
import { PINO_LEVEL, type KEvent } from '../model/event.js';

/** The JSON-ready shape of an event (also used by other machine outputs). */
export function eventRecord(e: KEvent): Record<string, unknown> {
  const rec: Record<string, unknown> = {
    time: Math.floor(e.time / 1000),
    timeUs: e.time,
    seq: e.seq,
    component: e.component,
    severity: e.severity,
  };
  // Events of a store always have a cluster ('' for none); events read from a file given by name none.
  if (e.cluster !== undefined) rec.cluster = e.cluster;
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
