/**
 * `ktrail export otlp --out FILE [PATH...|--db FILE]`: every root object's timeline as an
 * OpenTelemetry trace in OTLP/JSON (src/report/otlp), for Jaeger or Tempo.
 * `ktrail export ndjson [PATH...|--db FILE] [--out FILE]`: every stored event, one JSON line each
 * in pino's shape, with the objects the correlator resolved it to.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import type Database from 'better-sqlite3';
import { eventJson } from '../output/event-json.js';
import { buildOtlpTraces } from '../report/otlp/traces.js';
import { ktrailVersion } from '../report/version.js';
import { StoreReader, type Position } from '../store/reader.js';
import type { Store } from '../store/connection.js';
import type { Diagnostics } from './diagnostics.js';
import { openStoreFor, type StoreFlags } from './open-store.js';
import { UsageError } from './usage-error.js';

export interface ExportFlags extends StoreFlags {
  out?: string;
}

const PAGE = 2000;

interface ResolvedRow {
  event_id: number;
  uid: string | null;
  kind: string;
  namespace: string | null;
  name: string | null;
  via: string;
  confidence: number;
}

/** The resolved objects of a page of events, in one query (a query per event is slow on millions). */
function resolvedObjectsOf(db: Database.Database, ids: number[]): Map<number, Omit<ResolvedRow, 'event_id'>[]> {
  const rows = db
    .prepare(
      `SELECT eo.event_id, o.uid, o.kind, o.namespace, o.name, eo.via, eo.confidence FROM event_objects eo
       JOIN objects o ON o.id = eo.object_id WHERE eo.event_id IN (SELECT value FROM json_each(?))
       ORDER BY eo.event_id, eo.confidence DESC, o.id`,
    )
    .all(JSON.stringify(ids)) as ResolvedRow[];
  const out = new Map<number, Omit<ResolvedRow, 'event_id'>[]>();
  for (const { event_id, ...rest } of rows) {
    let list = out.get(event_id);
    if (!list) out.set(event_id, (list = []));
    list.push(rest);
  }
  return out;
}

async function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

export async function writeNdjson(store: Store, out: NodeJS.WritableStream): Promise<number> {
  const reader = new StoreReader(store);
  let after: Position | undefined;
  let written = 0;
  for (;;) {
    const page = reader.page({ after, limit: PAGE });
    if (page.length === 0) break;
    const objects = resolvedObjectsOf(store.db, page.map((e) => e.id));
    let text = '';
    for (const e of page) text += JSON.stringify({ ...eventJson(e), refs: e.objects, objects: objects.get(e.id) ?? [] }) + "\n";
    await write(out, text);
    written += page.length;
    const last = page[page.length - 1]!;
    after = { time: last.time, id: last.id };
  }
  return written;
}

function openOut(file: string): Promise<WriteStream> {
  return new Promise((resolve, reject) => {
    const s = createWriteStream(file);
    s.once('open', () => resolve(s));
    s.once('error', (err: NodeJS.ErrnoException) => reject(new UsageError(`cannot write --out ${file}: ${err.code ?? err.message}`)));
  });
}

async function closeOut(s: WriteStream): Promise<void> {
  await new Promise<void>((resolve, reject) => s.end((err?: Error | null) => (err ? reject(err) : resolve())));
}

export async function runExport(format: string, paths: string[], flags: ExportFlags, diag: Diagnostics): Promise<number> {
  if (format !== 'otlp' && format !== 'ndjson') throw new UsageError(`unknown export format "${format}" (otlp or ndjson)`);
  if (format === 'otlp' && !flags.out) throw new UsageError('ktrail export otlp needs --out FILE');
  const { store } = await openStoreFor(paths, flags, diag);
  try {
    if (format === 'otlp') {
      const traces = buildOtlpTraces(store, ktrailVersion());
      const out = await openOut(flags.out!);
      await write(out, JSON.stringify(traces) + '\n');
      await closeOut(out);
      const spans = traces.resourceSpans.reduce((n, r) => n + r.scopeSpans[0]!.spans.length, 0);
      process.stderr.write(`ktrail: ${traces.resourceSpans.length} traces, ${spans} spans written to ${flags.out}\n`);
    } else if (flags.out) {
      const out = await openOut(flags.out);
      await writeNdjson(store, out);
      await closeOut(out);
    } else {
      await writeNdjson(store, process.stdout);
    }
    return diag.count > 0 ? 1 : 0;
  } finally {
    store.close();
  }
}
