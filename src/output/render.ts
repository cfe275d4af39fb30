/**
 * An event's output line made before the merge, where the event was parsed (a parse worker, or
 * the main thread for the sources it reads), so that only the line and the few keys the merge
 * and the read filters need cross threads: building whole events again on the main thread cost
 * more than parsing them there (profiled: src/ingest/workers/pool.ts).
 *
 * The final sequence number is only known after the merge: a JSON line is kept in two parts
 * around it (`head` + seq + `tail`); text and raw lines do not show it (`tail` absent).
 */
import type { KEvent } from '../model/event.js';
import { makeChalk } from './colors.js';
import { ndjsonLine } from './ndjson.js';
import { formatEventLine, formatRaw } from './text.js';
import type { OutputWriter } from './writer.js';

export interface RenderSpec {
  output: 'text' | 'json' | 'raw';
  /** Colours on (text). */
  color: boolean;
  /** The output is a terminal (raw lines are neutralized). */
  tty: boolean;
  /** Text lines name the event's cluster (several clusters read together). */
  showCluster: boolean;
}

/** What the merge, the read filters and the writer need of an event. */
export interface RenderedEvent extends Pick<KEvent, 'seq' | 'time' | 'component' | 'severity' | 'cluster'> {
  head: string;
  tail?: string;
}

/** The key before the sequence number in a JSON line (level, time and timeUs before it are numbers). */
const SEQ_KEY = '"seq":';

/**
 * The string as one flat copy. A line built by concatenation is a tree of its pieces, and the
 * pieces are slices of the event's text, which keep the whole event's strings (and the decoded
 * read they were cut from) alive while the line waits in the merge, where every young-generation
 * GC copied them and then promoted them (profiled on the scale-20 bundle: half of what was
 * promoted). V8 flattens a concatenated string in place when it reads it as a number, which is
 * what pino's flatstr did; the value is unchanged.
 */
const flattened = { last: 0 };
function flat(s: string): string {
  // Stored, so that the optimizing compiler cannot drop the conversion as unused.
  flattened.last = Number(s);
  return s;
}

export function renderer(spec: RenderSpec): (e: KEvent) => RenderedEvent {
  const c = makeChalk(spec.color);
  const parts = (e: KEvent): { head: string; tail?: string } => {
    if (spec.output === 'raw') return { head: flat(formatRaw(e, spec.tty) + '\n') };
    if (spec.output === 'text') return { head: flat(formatEventLine(e, c, spec.showCluster) + '\n') };
    const line = ndjsonLine(e);
    const at = line.indexOf(SEQ_KEY) + SEQ_KEY.length;
    return { head: line.slice(0, at), tail: line.slice(at + String(e.seq).length) };
  };
  return (e) => {
    const r: RenderedEvent = { seq: e.seq, time: e.time, component: e.component, severity: e.severity, ...parts(e) };
    if (e.cluster !== undefined) r.cluster = e.cluster;
    return r;
  };
}

/** The line as written, once the merge gave the event its final sequence number. */
export function renderedLine(r: RenderedEvent): string {
  return r.tail === undefined ? r.head : r.head + r.seq + r.tail;
}

/**
 * renderedLine(r) onto the writer, in its parts: the writer encodes each into its chunk, where
 * the line joined first was one more string, flattened again by the stream.
 */
export function writeRendered(out: OutputWriter, r: RenderedEvent): Promise<void> | undefined {
  if (r.tail === undefined) return out.write(r.head);
  const head = out.write(r.head);
  const seq = out.write(String(r.seq));
  return out.write(r.tail) ?? head ?? seq;
}
