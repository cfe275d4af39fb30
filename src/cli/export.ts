/**
 * `ktrail export otlp --out FILE [PATH...|--db FILE]`: every root object's timeline as an
 * OpenTelemetry trace in OTLP/JSON (src/report/otlp), for Jaeger or Tempo.
 * `ktrail export ndjson [PATH...|--db FILE] [--out FILE]`: every stored event, one JSON line each
 * in pino's shape, with the objects the correlator resolved it to.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { eventJson } from '../output/event-json.js';
import { writeOtlpTraces } from '../report/otlp/traces.js';
import { ktrailVersion } from '../report/version.js';
import type { KtrailStore, Position } from '../store/store.js';
import type { Diagnostics } from './diagnostics.js';
import { openStoreFor, type StoreFlags } from './open-store.js';
import { linksJson } from './trace.js';
import { UsageError } from './usage-error.js';

export interface ExportFlags extends StoreFlags {
  out?: string;
}

const PAGE = 2000;

async function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

export async function writeNdjson(store: KtrailStore, out: NodeJS.WritableStream): Promise<number> {
  let after: Position | undefined;
  let written = 0;
  for (;;) {
    const page = store.events.page({ after, limit: PAGE });
    if (page.length === 0) break;
    const objects = store.objects.linksOfEvents(page.map((e) => e.id));
    let text = '';
    for (const e of page) text += JSON.stringify({ ...eventJson(e), refs: e.objects, objects: linksJson(objects.get(e.id)) }) + "\n";
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
  // Read-only unless the store must be migrated first: readers of one store run side by side
  // (open-store.ts), and a long one (incidents of a 5M store: a minute) stops no trace.
  const { store } = await openStoreFor(paths, flags, diag, { preferReadOnly: true });
  try {
    if (format === 'otlp') {
      const out = await openOut(flags.out!);
      const { traces, spans } = await writeOtlpTraces(store, ktrailVersion(), (text) => write(out, text));
      await closeOut(out);
      process.stderr.write(`ktrail: ${traces} traces, ${spans} spans written to ${flags.out}\n`);
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
