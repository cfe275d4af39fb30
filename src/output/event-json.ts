/**
 * The JSON shape of an event, shared by the NDJSON sink and the JSON documents of trace, query and
 * export: pino's shape (`level` as pino's number first, `time` in epoch milliseconds, ktrail's
 * keys, `msg` last), so that anything that reads pino logs (pino-pretty, log shippers) reads it.
 */
import { PINO_LEVEL, type KEvent } from '../model/event.js';

/** ktrail's keys of an event, in order, onto `rec` (one object built per event, no copies). */
function putKeys(rec: Record<string, unknown>, e: KEvent): Record<string, unknown> {
  rec.time = Math.floor(e.time / 1000);
  rec.timeUs = e.time;
  rec.seq = e.seq;
  rec.component = e.component;
  rec.severity = e.severity;
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

/** The JSON-ready shape of an event (also used by other machine outputs). */
export function eventRecord(e: KEvent): Record<string, unknown> {
  return putKeys({}, e);
}

/** The same record as one pino line carries it (level number and msg included), for JSON documents. */
export function eventJson(e: KEvent): Record<string, unknown> {
  const rec = putKeys({ level: PINO_LEVEL[e.severity] }, e);
  rec.msg = e.message;
  return rec;
}
