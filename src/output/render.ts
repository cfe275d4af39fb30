/**
 * Events' output lines made before the merge, where the events were parsed (a parse worker, or
 * the main thread for the sources it reads), as one batch of UTF-8 bytes with a few columns: the
 * merge, the read filters and the writer work on the columns and copy byte ranges, and no string
 * or object is built per line on the main thread.
 *
 * Why bytes: a batch crosses threads with its buffers moved, not copied, where an array of objects
 * (or strings sliced from one) was built again on the main thread by the structured clone or the
 * unpacking; profiled on the scale-20 bundle with two workers, the main thread's garbage collector
 * alone was 1.4 s of `-o json`. Encoding to UTF-8 also moves off the main thread with the render.
 *
 * The final sequence number is only known after the merge: a JSON line keeps the byte range of
 * its source's own number, and the writer puts the final one there (text and raw lines show none).
 */
import type { KEvent } from '../model/event.js';
import { makeChalk } from './colors.js';
import { ndjsonRecord } from './ndjson.js';
import { formatEventLine, formatRaw } from './text.js';
import type { LineBatch } from './line-batch.js';

export interface RenderSpec {
  output: 'text' | 'json' | 'raw';
  /** Colours on (text). */
  color: boolean;
  /** The output is a terminal (raw lines are neutralized). */
  tty: boolean;
  /** Text lines name the event's cluster (several clusters read together). */
  showCluster: boolean;
}

/** The key before the sequence number in a JSON line (level, time and timeUs before it are numbers). */
const SEQ_KEY = '"seq":';
/** A UTF-16 code unit takes at most 3 bytes of UTF-8 (a surrogate pair: 4 bytes for 2 units). */
const MAX_BYTES_PER_UNIT = 3;

const NEWLINE = 0x0a;

/** How many characters String(n) has, without making the string (a sequence number is an integer >= 0). */
export function decimalDigits(n: number): number {
  if (!Number.isSafeInteger(n) || n < 0) return String(n).length;
  let digits = 1;
  for (let rest = n; rest >= 10; rest = Math.floor(rest / 10)) digits++;
  return digits;
}

/** A renderer of whole batches: each batch's lines into one buffer of its own. */
export function lineBatcher(spec: RenderSpec): (events: readonly KEvent[]) => LineBatch {
  const c = makeChalk(spec.color);
  const json = spec.output === 'json';
  // Each line without its newline, which goes into the buffer as a byte: `line + '\n'` would be a
  // pair of strings, copied into one flat string by the first read of it (indexOf, or the UTF-8
  // write), a copy of every line and as much garbage.
  const lineOf = (e: KEvent): string =>
    spec.output === 'raw' ? formatRaw(e, spec.tty) : json ? ndjsonRecord(e) : formatEventLine(e, c, spec.showCluster);
  // Bytes per line so far: a batch's buffer is sized from it, so it is seldom grown or left half empty.
  let seenBytes = 0;
  let seenLines = 0;
  return (events) => {
    const n = events.length;
    const marks = new Int32Array(3 * n);
    const time = new Float64Array(n);
    const seq = new Float64Array(n);
    const codes = new Int32Array(3 * n);
    const names: string[] = [];
    const index = new Map<string, number>();
    const code = (name: string): number => {
      let i = index.get(name);
      if (i === undefined) index.set(name, (i = names.push(name) - 1));
      return i;
    };
    const perLine = seenLines ? seenBytes / seenLines : 256;
    // Its own buffer (never a slice of Buffer's shared pool): it is moved to another thread.
    let buf = Buffer.allocUnsafeSlow(Math.ceil(perLine * n * 1.2) + 1024);
    let used = 0;
    for (let i = 0; i < n; i++) {
      const e = events[i]!;
      const line = lineOf(e);
      // The worst case (3 bytes a unit) only tells when to count: most lines are ASCII, a byte a
      // unit. Grown on the worst case alone, to twice the size, the scale-20 bundle's JSON batches
      // took 771 MB of buffers for 502 MB of lines (each moved to the main thread whole, freed
      // there only by its GC); grown on the exact need with room for the rest, 628 MB.
      if (used + line.length * MAX_BYTES_PER_UNIT + 1 > buf.length) {
        const need = Buffer.byteLength(line) + 1;
        if (used + need > buf.length) {
          // Room for this line, and for the rest of the batch half as much again as the estimate.
          const bigger = Buffer.allocUnsafeSlow(used + need + Math.ceil(perLine * (n - i - 1) * 1.5) + 4096);
          buf.copy(bigger, 0, 0, used);
          buf = bigger;
        }
      }
      if (json) {
        // Everything before the number is ASCII (keys and numbers): its characters are its bytes.
        const at = used + line.indexOf(SEQ_KEY) + SEQ_KEY.length;
        marks[3 * i] = at;
        marks[3 * i + 1] = at + decimalDigits(e.seq);
      } else {
        marks[3 * i] = -1;
        marks[3 * i + 1] = -1;
      }
      used += buf.write(line, used);
      buf[used++] = NEWLINE;
      marks[3 * i + 2] = used;
      time[i] = e.time;
      seq[i] = e.seq;
      codes[3 * i] = code(e.component);
      codes[3 * i + 1] = code(e.severity);
      codes[3 * i + 2] = e.cluster === undefined ? -1 : code(e.cluster);
    }
    seenBytes += used;
    seenLines += n;
    return { bytes: buf.subarray(0, used), marks, time, seq, codes, names };
  };
}
