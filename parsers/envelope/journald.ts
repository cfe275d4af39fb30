/**
 * journald exports (`journalctl -u kubelet`, kind's kubelet.log/journal.log/containerd.log):
 * - short:         `May 23 08:07:20 host ident[pid]: msg`            (no year)
 * - short-precise: `May 23 08:07:20.123456 host ident[pid]: msg`     (no year)
 * - short-iso:     `2021-05-23T08:07:20+0000 host ident[pid]: msg`   (also `+00:00`, fractions)
 * - json:          one object a line, `__REALTIME_TIMESTAMP` in µs, `MESSAGE` a string or bytes.
 * `-- Logs begin at ... --`, `-- Boot ... --`, `-- No entries --`, `-- Reboot --` are journalctl's
 * own lines (meta); a message of several lines continues on lines indented under its first.
 *
 * The text readers accept all three text shapes on any line (a file is sometimes the
 * concatenation of several exports); only the scores are strict, so that detection names the
 * exact shape.
 */
import type {
  EnvelopeContext,
  EnvelopeParser,
  EnvelopeReader,
  EnvelopeRecord,
  Line,
  EnvelopeName,
  SourceHints,
} from '../types.js';
import type { Component } from '../../src/model/event.js';
import { MICROS_PER_DAY, closestYearMicros, monthFromName, parseRfc3339 } from '../../src/util/time.js';
import { componentFromName, isAllInOneName } from './component-names.js';
import { bareRecord, mergeHints, metaRecord } from './records.js';
import { readLeadingTimestamp } from './timestamp.js';
import { countLines } from './score.js';
import { parseJsonRecord } from '../../src/util/json.js';

// This envelope's names, added to EnvelopeName (parsers/types.ts, EnvelopeNames).
declare module '../types.js' {
  interface EnvelopeNames {
    'journald-short': true;
    'journald-iso': true;
    'journald-precise': true;
    'journald-json': true;
  }
}

// ---------------------------------------------------------------------------------------------
// Line shapes

/**
 * `May 23 08:07:20` or `May  3 08:07:20.123456`, then a space: the general form, for month names
 * spelled otherwise than the usual three letters (`Sept`, `mai.`). Month names in any case.
 */
const SHORT_TIME = /^([A-Za-z]{3})[A-Za-z]{0,6}\.? {1,2}(\d{1,2}) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))? /;

/** Three-letter month names by their lower-cased character codes (no string built per line). */
const MONTH_CODES = new Map<number, number>(
  ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].map((name, i) => [
    monthCode(name, 0),
    i + 1,
  ]),
);

function monthCode(text: string, at: number): number {
  return ((text.charCodeAt(at) | 32) << 16) | ((text.charCodeAt(at + 1) | 32) << 8) | (text.charCodeAt(at + 2) | 32);
}

function digit(text: string, at: number): number {
  const d = text.charCodeAt(at) - 48;
  return d >= 0 && d <= 9 ? d : -1;
}

function twoDigits(text: string, at: number): number {
  const a = digit(text, at);
  const b = digit(text, at + 1);
  return a < 0 || b < 0 ? -1 : a * 10 + b;
}

type Shape = 'short' | 'precise' | 'iso';

/** A journald text line's prefix, as indices into the line (strings are cut only when needed). */
export interface TextHeader {
  shape: Shape;
  /** Absolute time (iso), or the parts of a time without a year (short, precise). */
  micros: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  fraction: number;
  /** End of the time to the second (`May 23 08:07:20`): lines sharing it share their second. */
  secondEnd: number;
  hostStart: number;
  hostEnd: number;
  /** The identifier is text[hostEnd + 1, identEnd); empty when the entry has none. */
  identEnd: number;
  pid: number | undefined;
  /** End of `host ident[pid]`: text[hostStart, sourceEnd) keys the hints cache. */
  sourceEnd: number;
  /** Where the message starts. */
  payload: number;
}

/** The usual `Mmm dd hh:mm:ss[.ffffff] ` (day padded with a space or a zero), by character. */
function readShortTime(text: string, h: TextHeader): number {
  const month = MONTH_CODES.get(monthCode(text, 0));
  if (month === undefined || text.charCodeAt(3) !== 32 || text.charCodeAt(6) !== 32) return -1;
  const d0 = text.charCodeAt(4) === 32 ? 0 : digit(text, 4);
  const d1 = digit(text, 5);
  if (d0 < 0 || d1 < 0 || text.charCodeAt(9) !== 58 || text.charCodeAt(12) !== 58) return -1;
  h.month = month;
  h.day = d0 * 10 + d1;
  h.hour = twoDigits(text, 7);
  h.minute = twoDigits(text, 10);
  h.second = twoDigits(text, 13);
  h.secondEnd = 15;
  let i = 15;
  if (text.charCodeAt(i) === 46) {
    i++;
    const start = i;
    let fraction = 0;
    while (i - start < 6 && digit(text, i) >= 0) fraction = fraction * 10 + digit(text, i++);
    if (i === start) return -1;
    for (let k = i - start; k < 6; k++) fraction *= 10;
    h.fraction = fraction;
    h.shape = 'precise';
  }
  return text.charCodeAt(i) === 32 ? i + 1 : -1;
}

/** The general form through the regex; the end of the time, or -1. */
function readShortTimeSlow(text: string, h: TextHeader): number {
  const m = SHORT_TIME.exec(text);
  if (!m) return -1;
  const month = monthFromName(m[1]!);
  if (month === undefined) return -1;
  h.month = month;
  h.day = Number(m[2]);
  h.hour = Number(m[3]);
  h.minute = Number(m[4]);
  h.second = Number(m[5]);
  h.secondEnd = m[6] === undefined ? m[0].length - 1 : m[0].length - m[6].length - 2;
  if (m[6] !== undefined) {
    h.shape = 'precise';
    h.fraction = Number((m[6] + '00000').slice(0, 6));
  }
  return m[0].length;
}

/** Reads `host ident[pid]:` from `from` (where the time ended) into h. */
function readSource(text: string, from: number, h: TextHeader): boolean {
  const hostEnd = text.indexOf(' ', from);
  if (hostEnd <= from) return false;
  h.hostStart = from;
  h.hostEnd = hostEnd;
  const tagStart = hostEnd + 1;
  // The tag runs to the first ':' that ends it; no space inside (identifiers have none).
  let i = tagStart;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 32) break;
    if (c === 58 && (i + 1 === n || text.charCodeAt(i + 1) === 32)) break;
    i++;
  }
  if (i >= n || text.charCodeAt(i) !== 58 || i === tagStart) {
    // No `ident:` (an entry without identifier): the message follows the host.
    h.identEnd = tagStart;
    h.sourceEnd = hostEnd;
    h.payload = tagStart;
    return true;
  }
  h.identEnd = i;
  if (text.charCodeAt(i - 1) === 93) {
    // ident[pid]
    const open = text.lastIndexOf('[', i - 1);
    if (open > tagStart && i - 1 - (open + 1) >= 1 && i - 1 - (open + 1) <= 10) {
      let pid = 0;
      let k = open + 1;
      for (; k < i - 1; k++) {
        const d = digit(text, k);
        if (d < 0) break;
        pid = pid * 10 + d;
      }
      if (k === i - 1) {
        h.pid = pid;
        h.identEnd = open;
      }
    }
  }
  h.sourceEnd = i;
  h.payload = i + 2;
  return true;
}

/** Parses a short, short-precise or short-iso line's prefix; undefined for anything else. */
export function readJournaldText(text: string): TextHeader | undefined {
  if (text.length < 16) return undefined;
  const h: TextHeader = {
    shape: 'short',
    micros: 0,
    month: 0,
    day: 0,
    hour: 0,
    minute: 0,
    second: 0,
    fraction: 0,
    secondEnd: 0,
    hostStart: 0,
    hostEnd: 0,
    identEnd: 0,
    pid: undefined,
    sourceEnd: 0,
    payload: 0,
  };
  let from: number;
  const c = text.charCodeAt(0);
  if (c >= 48 && c <= 57) {
    // `2021-05-23T08:07:20+0000`, `...+00:00`, with or without a fraction, then a space.
    const ts = readLeadingTimestamp(text);
    if (!ts || ts.payload >= text.length) return undefined;
    h.shape = 'iso';
    h.micros = ts.micros;
    from = ts.payload;
  } else {
    from = readShortTime(text, h);
    if (from < 0) {
      h.shape = 'short';
      h.fraction = 0;
      from = readShortTimeSlow(text, h);
    }
    if (from < 0) return undefined;
    if (h.day < 1 || h.day > 31 || h.hour < 0 || h.hour > 23 || h.minute < 0 || h.minute > 59 || h.second < 0 || h.second > 60) {
      return undefined;
    }
  }
  return readSource(text, from, h) ? h : undefined;
}

/** journalctl's own lines: `-- Logs begin at ... --`, `-- Boot 1a2b... --`, `-- No entries --`. */
function isJournalctlLine(text: string): boolean {
  return text.startsWith('-- ') && text.endsWith(' --') && text.length >= 6;
}

const DATE_TIME = /(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)/g;

/**
 * `-- Logs begin at Tue 2021-05-25 10:00:00 UTC, end at Wed 2021-05-26 11:00:00 UTC. --` (and
 * newer journalctl's `-- Journal begins at ..., ends at ... --`): the span of the export, which
 * gives the year the short lines lack. The zone name is not resolved (read as UTC, as the lines are).
 */
function readLogsBegin(text: string): { begin: number; end?: number } | undefined {
  if (!text.startsWith('-- Logs begin at ') && !text.startsWith('-- Journal begins at ')) return undefined;
  const found = text.match(DATE_TIME);
  if (!found) return undefined;
  const begin = parseRfc3339(found[0]!)?.micros;
  if (begin === undefined) return undefined;
  const end = found[1] === undefined ? undefined : parseRfc3339(found[1])?.micros;
  return end === undefined ? { begin } : { begin, end };
}

// ---------------------------------------------------------------------------------------------
// Hints

/**
 * The component a journald identifier names: the cluster binaries by name (kubelet,
 * kubenswrapper, hyperkube-kubelet -> kubelet), nothing for all-in-one binaries (k3s runs every
 * component in one process: the content decides), 'other' for everything else (systemd,
 * containerd, kernel, dockerd, sshd...).
 */
export function componentFromIdentifier(identifier: string): Component | undefined {
  if (isAllInOneName(identifier)) return undefined;
  return componentFromName(identifier) ?? 'other';
}

/** Hints per distinct `host ident[pid]`, so that a journal's lines share a few objects. */
class HintsCache {
  private readonly cache = new Map<string, SourceHints>();
  /** The last key and its hints: consecutive lines mostly come from one writer. */
  private lastKey = '';
  private lastHints: SourceHints | undefined;

  constructor(private readonly place: SourceHints) {}

  /** Hints of a text line: text[start, end) is its `host ident[pid]`. */
  forText(text: string, h: TextHeader): SourceHints {
    const length = h.sourceEnd - h.hostStart;
    if (this.lastHints && length === this.lastKey.length && text.startsWith(this.lastKey, h.hostStart)) {
      return this.lastHints;
    }
    const key = text.slice(h.hostStart, h.sourceEnd);
    let hints = this.cache.get(key);
    if (!hints) {
      const identifier = h.identEnd > h.hostEnd + 1 ? text.slice(h.hostEnd + 1, h.identEnd) : undefined;
      hints = this.make(key, text.slice(h.hostStart, h.hostEnd), identifier, h.pid);
    }
    this.lastKey = key;
    this.lastHints = hints;
    return hints;
  }

  get(key: string, host: string | undefined, identifier: string | undefined, pid: number | undefined): SourceHints {
    return this.cache.get(key) ?? this.make(key, host, identifier, pid);
  }

  private make(key: string, host: string | undefined, identifier: string | undefined, pid: number | undefined): SourceHints {
    const own: SourceHints = {};
    if (host) own.host = host;
    if (identifier) {
      own.identifier = identifier;
      const component = componentFromIdentifier(identifier);
      if (component) own.component = component;
    }
    if (pid !== undefined) own.pid = pid;
    const hints = mergeHints(this.place, own);
    // A journal has few writers; a pathological one (a new pid per line) must not grow forever.
    if (this.cache.size >= 4096) this.cache.clear();
    this.cache.set(key, hints);
    return hints;
  }
}

// ---------------------------------------------------------------------------------------------
// Year inference

const YEAR_SLACK = 2 * MICROS_PER_DAY;

function shiftYear(micros: number, years: number): number {
  const ms = Math.floor(micros / 1000);
  const d = new Date(ms);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d.getTime() * 1000 + (micros - ms * 1000);
}

/**
 * Places year-less times. Each line's year is the one closest to the previous line's time, which
 * follows a file across New Year in either direction (`journalctl -r` included). The first line
 * is placed against `-- Logs begin at` when there is one, else against the context's reference
 * (the file's mtime): a log cannot be written after its file was last modified, so a first line
 * that lands more than a couple of days after that reference belongs to the year before (a
 * forward export spanning months starts long before its mtime).
 */
class YearResolver {
  private previous: number | undefined;
  private span: { begin: number; end?: number } | undefined;
  /**
   * The last line's time to the second as written (`May 23 08:07:20`) and its resolved time:
   * consecutive lines mostly share their second, and then their year too.
   */
  private lastSecond = '';
  private lastBase = 0;

  constructor(private readonly referenceTime: number) {}

  setSpan(span: { begin: number; end?: number }): void {
    this.span = span;
    this.previous = undefined;
    this.lastSecond = '';
  }

  resolve(text: string, h: TextHeader): number {
    if (h.secondEnd === this.lastSecond.length && this.lastSecond !== '' && text.startsWith(this.lastSecond)) {
      const t = this.lastBase + h.fraction;
      this.previous = t;
      return t;
    }
    const at = (ref: number): number => closestYearMicros(h.month, h.day, h.hour, h.minute, h.second, 0, ref);
    let base: number;
    if (this.previous !== undefined) {
      base = at(this.previous);
    } else if (this.span) {
      const { begin, end } = this.span;
      base = at(begin);
      if (end !== undefined && (base < begin - YEAR_SLACK || base > end + YEAR_SLACK)) {
        const fromEnd = at(end);
        if (fromEnd >= begin - YEAR_SLACK && fromEnd <= end + YEAR_SLACK) base = fromEnd;
      }
    } else {
      base = at(this.referenceTime);
      if (base > this.referenceTime + YEAR_SLACK) base = shiftYear(base, -1);
    }
    this.lastSecond = text.slice(0, h.secondEnd);
    this.lastBase = base;
    this.previous = base + h.fraction;
    return this.previous;
  }

  /** An absolute time (short-iso) is the best reference for the lines after it. */
  observe(micros: number): void {
    this.previous = micros;
    this.lastSecond = '';
  }
}

// ---------------------------------------------------------------------------------------------
// Text reader

class JournaldTextReader implements EnvelopeReader {
  private readonly placeHints: SourceHints;
  private readonly cache: HintsCache;
  private readonly years: YearResolver;
  /** The last header's hints and message column, for indented continuation lines. */
  private lastHints: SourceHints | undefined;
  private lastColumn = 0;

  constructor(ctx: EnvelopeContext) {
    this.placeHints = mergeHints(ctx.hints, {});
    this.cache = new HintsCache(ctx.hints);
    this.years = new YearResolver(ctx.referenceTime);
  }

  push(line: Line): EnvelopeRecord[] {
    const text = line.text;
    const h = readJournaldText(text);
    if (h) {
      let time: number;
      if (h.shape === 'iso') {
        time = h.micros;
        this.years.observe(time);
      } else {
        time = this.years.resolve(text, h);
      }
      const hints = this.cache.forText(text, h);
      this.lastHints = hints;
      this.lastColumn = h.payload;
      const rec: EnvelopeRecord = {
        kind: 'record',
        text: h.payload >= text.length ? '' : text.slice(h.payload),
        time,
        hints,
        firstLine: line.no,
        lastLine: line.no,
        raw: text,
      };
      if (h.shape !== 'iso') rec.timeYearInferred = true;
      if (line.truncated) rec.truncated = true;
      return [rec];
    }
    if (isJournalctlLine(text)) {
      const span = readLogsBegin(text);
      if (span) this.years.setSpan(span);
      return [metaRecord(line, this.placeHints)];
    }
    if (this.lastHints && text.charCodeAt(0) === 32) {
      // A message's further lines, indented to its first line's message column.
      let i = 0;
      while (i < this.lastColumn && i < text.length && text.charCodeAt(i) === 32) i++;
      const rec = bareRecord(line, this.lastHints);
      rec.text = text.slice(i);
      return [rec];
    }
    return [bareRecord(line, this.placeHints)];
  }

  end(): EnvelopeRecord[] {
    return [];
  }
}

// ---------------------------------------------------------------------------------------------
// JSON reader (`journalctl -o json`)

interface JournalJson {
  time?: number;
  host?: string;
  identifier?: string;
  pid?: number;
  message: string;
}

/** MESSAGE is a string, or an array of byte values when it is not valid UTF-8 (or binary). */
function decodeMessage(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    const bytes = new Uint8Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const b = value[i];
      bytes[i] = typeof b === 'number' ? b & 0xff : 0;
    }
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8');
  }
  // null: journalctl omits values over its size limit unless --all.
  return '';
}

function fieldString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return decodeMessage(value);
  return undefined;
}

const MICROS_DIGITS = /^\d{1,17}$/;

/** Parses one `journalctl -o json` line, or undefined when it is not one. */
export function readJournaldJson(text: string): JournalJson | undefined {
  if (text.charCodeAt(0) !== 123 || !text.includes('"__REALTIME_TIMESTAMP"')) return undefined;
  const o = parseJsonRecord(text);
  if (!o) return undefined;
  const out: JournalJson = { message: decodeMessage(o.MESSAGE) };
  const rt = fieldString(o.__REALTIME_TIMESTAMP) ?? fieldString(o._SOURCE_REALTIME_TIMESTAMP);
  if (rt !== undefined && MICROS_DIGITS.test(rt)) out.time = Number(rt);
  const host = fieldString(o._HOSTNAME);
  if (host) out.host = host;
  const identifier = fieldString(o.SYSLOG_IDENTIFIER) ?? fieldString(o._COMM);
  if (identifier) out.identifier = identifier;
  const pid = fieldString(o._PID) ?? fieldString(o.SYSLOG_PID);
  if (pid !== undefined && /^\d{1,10}$/.test(pid)) out.pid = Number(pid);
  return out;
}

class JournaldJsonReader implements EnvelopeReader {
  private readonly placeHints: SourceHints;
  private readonly cache: HintsCache;

  constructor(ctx: EnvelopeContext) {
    this.placeHints = mergeHints(ctx.hints, {});
    this.cache = new HintsCache(ctx.hints);
  }

  push(line: Line): EnvelopeRecord[] {
    const e = readJournaldJson(line.text);
    if (!e) return [bareRecord(line, this.placeHints)];
    const key = `${e.host ?? ''}\u0000${e.identifier ?? ''}\u0000${e.pid ?? ''}`;
    const rec: EnvelopeRecord = {
      kind: 'record',
      text: e.message,
      hints: this.cache.get(key, e.host, e.identifier, e.pid),
      firstLine: line.no,
      lastLine: line.no,
      raw: line.text,
    };
    if (e.time !== undefined) rec.time = e.time;
    if (line.truncated) rec.truncated = true;
    return [rec];
  }

  end(): EnvelopeRecord[] {
    return [];
  }
}

// ---------------------------------------------------------------------------------------------
// Parsers

function scoreText(sample: string[], shape: Shape): number {
  let n = 0;
  for (const line of sample) {
    const h = readJournaldText(line);
    // A strict shape: the time form, and an `ident:` tag (every journald line has one).
    if (h && h.shape === shape && h.identEnd > h.hostEnd + 1) n++;
    // journalctl's own lines say journald whatever the time form: a unit with nothing logged in
    // the span (must-gather's `-- Logs begin at ... --` then `-- No entries --`, per master) is a
    // journald export too. Counted for the default shape only, so that any real line decides.
    else if (shape === 'short' && isJournalctlLine(line)) n++;
  }
  return n;
}

/** The text exports differ only in their time form: one reader, a score strict about the form. */
function textEnvelope(name: EnvelopeName, shape: Shape, samples?: readonly string[]): EnvelopeParser {
  const parser: EnvelopeParser = {
    name,
    nestable: true,
    score: (sample) => scoreText(sample, shape),
    create: (ctx) => new JournaldTextReader(ctx),
  };
  if (samples) parser.samples = samples;
  return parser;
}

export const journaldShortEnvelope = textEnvelope('journald-short', 'short', [
  'Aug 30 04:28:45 kind-worker kubelet[704773]: I0830 04:28:45.030450  704773 kubelet.go:2129] "SyncLoop (SYNC) pods" total=1',
]);

export const journaldPreciseEnvelope = textEnvelope('journald-precise', 'precise', [
  'Aug 03 09:17:42.743802 ip-10-0-195-177 hyperkube[1354]: I0803 09:17:42.743919    1354 flags.go:59] FLAG: --add-dir-header="false"',
]);

export const journaldIsoEnvelope = textEnvelope('journald-iso', 'iso');

export const journaldJsonEnvelope: EnvelopeParser = {
  name: 'journald-json',
  nestable: true,
  score: countLines(readJournaldJson),
  create: (ctx) => new JournaldJsonReader(ctx),
};

// ---------------------------------------------------------------------------------------------
// Order

/** A sortable key for a line's time: absolute for iso/json, within-the-year for short lines. */
function orderKey(line: string): number | undefined {
  const h = readJournaldText(line);
  if (h) {
    if (h.shape === 'iso') return h.micros;
    return ((((h.month * 32 + h.day) * 24 + h.hour) * 60 + h.minute) * 61 + h.second) * 1_000_000 + h.fraction;
  }
  return readJournaldJson(line)?.time;
}

/**
 * Whether a journald sample's timestamps mostly decrease (`journalctl -r`). The pipeline reads
 * such a file from its end so that events come out oldest first. A single New Year step (Dec ->
 * Jan looks like a decrease in a forward export) does not outweigh the rest.
 */
export function isReversed(sample: string[]): boolean {
  let up = 0;
  let down = 0;
  let prev: number | undefined;
  for (const line of sample) {
    const key = orderKey(line);
    if (key === undefined) continue;
    if (prev !== undefined) {
      if (key > prev) up++;
      else if (key < prev) down++;
    }
    prev = key;
  }
  return down > up;
}
