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
import { eventJson } from './event-json.js';
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

/**
 * Lines are made a group at a time (one JSON.stringify, one join, one UTF-8 write per group, see
 * lineBatcher): at most this many events, and a group closes once its events' raw text and
 * messages reach GROUP_CHARS, so that a group's string stays far below V8's longest (2^29 - 24
 * units) whatever the lines (each at most 1 MiB).
 */
const GROUP_EVENTS = 128;
const GROUP_CHARS = 256 * 1024;

/**
 * Between two events' records in JSON.stringify of an array of them: the first record's end and
 * the next one's first key (every record starts with its level, see putJsonGroup).
 */
const RECORD_SEPARATOR = '},{"level":';

/**
 * The thread's working buffer: a batch's lines are written here, then copied into a buffer of
 * their exact size, the one moved to the main thread (render is synchronous, so one batch at a
 * time uses it, whichever source it is of). A group is written with room for its worst case
 * (3 bytes a unit), so its UTF-8 write is never cut short.
 */
let scratch = Buffer.allocUnsafeSlow(256 * 1024);
/** Kept between batches up to this size; a larger one (a batch of huge lines) is let go after its batch. */
const SCRATCH_KEPT = 8 * 1024 * 1024;

/** Room in the scratch buffer for `more` bytes after `used` (what is there is kept). */
function reserve(used: number, more: number): void {
  if (used + more <= scratch.length) return;
  const bigger = Buffer.allocUnsafeSlow(Math.max(2 * scratch.length, used + more));
  scratch.copy(bigger, 0, 0, used);
  scratch = bigger;
}

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
  const lineOf = (e: KEvent): string => (spec.output === 'raw' ? formatRaw(e, spec.tty) : formatEventLine(e, c, spec.showCluster));
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
    let used = 0;
    for (let from = 0; from < n; ) {
      const to = groupEnd(events, from);
      used = json ? putJsonGroup(events, from, to, marks, used) : putTextGroup(events, from, to, lineOf, marks, used);
      from = to;
    }
    for (let i = 0; i < n; i++) {
      const e = events[i]!;
      time[i] = e.time;
      seq[i] = e.seq;
      codes[3 * i] = code(e.component);
      codes[3 * i + 1] = code(e.severity);
      codes[3 * i + 2] = e.cluster === undefined ? -1 : code(e.cluster);
    }
    // Its own buffer, of the lines' exact size (never a slice of Buffer's shared pool): it is moved to another thread.
    const bytes = Buffer.allocUnsafeSlow(used);
    scratch.copy(bytes, 0, 0, used);
    if (scratch.length > SCRATCH_KEPT) scratch = Buffer.allocUnsafeSlow(256 * 1024);
    return { bytes, marks, time, seq, codes, names };
  };
}

/** Where the group of events starting at `from` ends (GROUP_EVENTS, GROUP_CHARS). */
function groupEnd(events: readonly KEvent[], from: number): number {
  const last = Math.min(events.length, from + GROUP_EVENTS);
  let chars = 0;
  let to = from;
  while (to < last && chars < GROUP_CHARS) {
    const e = events[to++]!;
    chars += e.raw.length + e.message.length;
  }
  return to;
}

/**
 * Line `line` of event i (without its newline) into the scratch buffer at `used`, with its marks;
 * returns where it ends. What a group falls back on (see below).
 */
function putLine(line: string, e: KEvent, i: number, json: boolean, marks: Int32Array, used: number): number {
  reserve(used, line.length * MAX_BYTES_PER_UNIT + 1);
  if (json) {
    // Everything before the number is ASCII (keys and numbers): its characters are its bytes.
    const at = used + line.indexOf(SEQ_KEY) + SEQ_KEY.length;
    marks[3 * i] = at;
    marks[3 * i + 1] = at + decimalDigits(e.seq);
  } else {
    marks[3 * i] = -1;
    marks[3 * i + 1] = -1;
  }
  used += scratch.write(line, used);
  scratch[used++] = NEWLINE;
  marks[3 * i + 2] = used;
  return used;
}

/**
 * Text or raw lines of events from..to: joined, and written as one string. A line written alone
 * is a string of its own to flatten (a text line is a tree of pieces until then) and a call into
 * the encoder; joined, the pieces are copied once into one string. Its lines' byte offsets are
 * their characters' when it is all ASCII (its UTF-8 is as long as it is); otherwise (about one
 * group in seven on the scale-20 bundle) each line is written again, alone, to count its bytes.
 */
function putTextGroup(events: readonly KEvent[], from: number, to: number, lineOf: (e: KEvent) => string, marks: Int32Array, used: number): number {
  const lines: string[] = [];
  for (let i = from; i < to; i++) lines.push(lineOf(events[i]!));
  const joined = lines.join('\n');
  reserve(used, joined.length * MAX_BYTES_PER_UNIT + 1);
  if (scratch.write(joined, used) === joined.length) {
    let end = used;
    for (let k = 0; k < lines.length; k++) {
      const i = from + k;
      end += lines[k]!.length + 1;
      marks[3 * i] = -1;
      marks[3 * i + 1] = -1;
      marks[3 * i + 2] = end;
    }
    scratch[end - 1] = NEWLINE;
    return end;
  }
  for (let k = 0; k < lines.length; k++) used = putLine(lines[k]!, events[from + k]!, from + k, false, marks, used);
  return used;
}

/**
 * JSON lines of events from..to, by one JSON.stringify of their records as an array, cut at the
 * records' bounds: the same characters as a stringify per record (the array adds only its brackets
 * and commas), and a quarter less CPU. JSON.stringify builds its result in parts that start small
 * (32 characters) and grow: a string that may not fit the current part (worst case, 6 characters
 * a unit) is escaped character by character through a slower path, and every call starts small
 * again. One call per line took 4.9 us an event against 3.7 for an array of 66 (the scale-20
 * bundle's events, stringify and UTF-8 write, in one process, alternating).
 *
 * The bounds: every record starts with its level, so each comma between two records is followed
 * by RECORD_SEPARATOR's `{"level":`; the text inside a record can hold the same characters only
 * in a nested value (`[{},{"level":1}]` in a line's fields; in a string, the quote is escaped), so
 * the group is cut only when the separator occurs exactly once between each two records, and is
 * otherwise made record by record as before. Its commas become the newlines in place.
 */
function putJsonGroup(events: readonly KEvent[], from: number, to: number, marks: Int32Array, used: number): number {
  const records: Record<string, unknown>[] = [];
  let cuttable = true;
  for (let i = from; i < to; i++) {
    const rec = eventJson(events[i]!);
    // A record without its level (not a known severity) would not start with the separator's key.
    if (rec.level === undefined) cuttable = false;
    records.push(rec);
  }
  const text = JSON.stringify(records);
  /** Per record after the first, where it starts in `text` (just after the comma). */
  const starts: number[] = [];
  if (cuttable) {
    for (let at = text.indexOf(RECORD_SEPARATOR, 1); at >= 0; at = text.indexOf(RECORD_SEPARATOR, at + RECORD_SEPARATOR.length)) {
      if (starts.length === records.length - 1) {
        cuttable = false;
        break;
      }
      starts.push(at + 2);
    }
    if (starts.length !== records.length - 1) cuttable = false;
  }
  if (!cuttable) {
    for (let i = from; i < to; i++) used = putLine(JSON.stringify(records[i - from]), events[i]!, i, true, marks, used);
    return used;
  }
  // The records without the array's brackets: a slice, not a copy.
  const inner = text.slice(1, text.length - 1);
  reserve(used, inner.length * MAX_BYTES_PER_UNIT + 1);
  if (scratch.write(inner, used) === inner.length) {
    // All ASCII: a character's offset is its byte's. `start`/`end` are offsets into `text`.
    for (let k = 0; k < records.length; k++) {
      const i = from + k;
      const start = k === 0 ? 1 : starts[k - 1]!;
      const end = k === records.length - 1 ? text.length - 1 : starts[k]! - 1;
      const at = used + text.indexOf(SEQ_KEY, start) + SEQ_KEY.length - 1;
      marks[3 * i] = at;
      marks[3 * i + 1] = at + decimalDigits(events[i]!.seq);
      // The comma after the record (or the end of the group) becomes its newline.
      scratch[used + end - 1] = NEWLINE;
      marks[3 * i + 2] = used + end;
    }
    return used + inner.length + 1;
  }
  for (let k = 0; k < records.length; k++) {
    const start = k === 0 ? 1 : starts[k - 1]!;
    const end = k === records.length - 1 ? text.length - 1 : starts[k]! - 1;
    used = putLine(text.slice(start, end), events[from + k]!, from + k, true, marks, used);
  }
  return used;
}
