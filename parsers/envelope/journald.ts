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
  SourceHints,
} from '../types.js';
import type { Component } from '../../src/model/event.js';
import { MICROS_PER_DAY, closestYearMicros, monthFromName, parseRfc3339 } from '../../src/util/time.js';
import { componentFromName, isAllInOneName } from './component-names.js';
import { bareRecord, mergeHints, metaRecord } from './records.js';
import { readLeadingTimestamp } from './timestamp.js';

// ---------------------------------------------------------------------------------------------
// Line shapes

/** `May 23 08:07:20` or `May  3 08:07:20.123456`, then a space. Month names in any case. */
const SHORT_TIME = /^([A-Za-z]{3})[A-Za-z]{0,6}\.? {1,2}(\d{1,2}) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))? /;

type Shape = 'short' | 'precise' | 'iso';

interface TextHeader {
  shape: Shape;
  /** Absolute time (iso) or the parts of a time without a year (short, precise). */
  micros?: number;
  month?: number;
  day?: number;
  hour?: number;
  minute?: number;
  second?: number;
  fraction?: number;
  /** `host ident[pid]` as written: the key of the hints cache. */
  source: string;
  host: string;
  identifier?: string;
  pid?: number;
  /** Where the message starts. */
  payload: number;
}

/** Reads the host and `ident[pid]:` after the time (ending at index `from`). */
function readSource(text: string, from: number, header: TextHeader): boolean {
  const hostEnd = text.indexOf(' ', from);
  if (hostEnd <= from) return false;
  header.host = text.slice(from, hostEnd);
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
    header.source = header.host;
    header.payload = tagStart;
    return true;
  }
  let identEnd = i;
  if (text.charCodeAt(i - 1) === 93) {
    // ident[pid]
    const open = text.lastIndexOf('[', i - 1);
    if (open > tagStart) {
      const pidText = text.slice(open + 1, i - 1);
      if (/^\d{1,10}$/.test(pidText)) {
        header.pid = Number(pidText);
        identEnd = open;
      }
    }
  }
  header.identifier = text.slice(tagStart, identEnd);
  header.source = text.slice(from, i);
  header.payload = i + 2;
  return true;
}

/** Parses a short, short-precise or short-iso line's prefix; undefined for anything else. */
export function readJournaldText(text: string): TextHeader | undefined {
  const c = text.charCodeAt(0);
  const header: TextHeader = { shape: 'short', source: '', host: '', payload: 0 };
  let from: number;
  if (c >= 48 && c <= 57) {
    // `2021-05-23T08:07:20+0000`, `...+00:00`, with or without a fraction, then a space.
    const ts = readLeadingTimestamp(text);
    if (!ts || ts.payload >= text.length) return undefined;
    header.shape = 'iso';
    header.micros = ts.micros;
    from = ts.payload;
  } else {
    if (text.length < 16) return undefined;
    const m = SHORT_TIME.exec(text);
    if (!m) return undefined;
    const month = monthFromName(m[1]!);
    if (month === undefined) return undefined;
    const day = Number(m[2]);
    const hour = Number(m[3]);
    const minute = Number(m[4]);
    const second = Number(m[5]);
    if (day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return undefined;
    header.shape = m[6] === undefined ? 'short' : 'precise';
    header.month = month;
    header.day = day;
    header.hour = hour;
    header.minute = minute;
    header.second = second;
    header.fraction = m[6] === undefined ? 0 : Number((m[6] + '00000').slice(0, 6));
    from = m[0].length;
  }
  return readSource(text, from, header) ? header : undefined;
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
  constructor(private readonly place: SourceHints) {}

  get(key: string, host: string | undefined, identifier: string | undefined, pid: number | undefined): SourceHints {
    let hints = this.cache.get(key);
    if (hints) return hints;
    const own: SourceHints = {};
    if (host) own.host = host;
    if (identifier) {
      own.identifier = identifier;
      const component = componentFromIdentifier(identifier);
      if (component) own.component = component;
    }
    if (pid !== undefined) own.pid = pid;
    hints = mergeHints(this.place, own);
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

  constructor(private readonly referenceTime: number) {}

  setSpan(span: { begin: number; end?: number }): void {
    this.span = span;
    this.previous = undefined;
  }

  resolve(h: TextHeader): number {
    const at = (ref: number): number =>
      closestYearMicros(h.month!, h.day!, h.hour!, h.minute!, h.second!, h.fraction!, ref);
    let t: number;
    if (this.previous !== undefined) {
      t = at(this.previous);
    } else if (this.span) {
      const { begin, end } = this.span;
      t = at(begin);
      if (end !== undefined && (t < begin - YEAR_SLACK || t > end + YEAR_SLACK)) {
        const fromEnd = at(end);
        if (fromEnd >= begin - YEAR_SLACK && fromEnd <= end + YEAR_SLACK) t = fromEnd;
      }
    } else {
      t = at(this.referenceTime);
      if (t > this.referenceTime + YEAR_SLACK) t = shiftYear(t, -1);
    }
    this.previous = t;
    return t;
  }

  /** An absolute time (short-iso) is the best reference for the lines after it. */
  observe(micros: number): void {
    this.previous = micros;
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
        time = h.micros!;
        this.years.observe(time);
      } else {
        time = this.years.resolve(h);
      }
      const hints = this.cache.get(h.source, h.host, h.identifier, h.pid);
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
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const o = value as Record<string, unknown>;
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
    if (h && h.shape === shape && h.identifier !== undefined) n++;
  }
  return n;
}

export const journaldShortEnvelope: EnvelopeParser = {
  name: 'journald-short',
  score: (sample) => scoreText(sample, 'short'),
  create: (ctx) => new JournaldTextReader(ctx),
};

export const journaldPreciseEnvelope: EnvelopeParser = {
  name: 'journald-precise',
  score: (sample) => scoreText(sample, 'precise'),
  create: (ctx) => new JournaldTextReader(ctx),
};

export const journaldIsoEnvelope: EnvelopeParser = {
  name: 'journald-iso',
  score: (sample) => scoreText(sample, 'iso'),
  create: (ctx) => new JournaldTextReader(ctx),
};

export const journaldJsonEnvelope: EnvelopeParser = {
  name: 'journald-json',
  score(sample: string[]): number {
    let n = 0;
    for (const line of sample) if (readJournaldJson(line)) n++;
    return n;
  },
  create: (ctx) => new JournaldJsonReader(ctx),
};

// ---------------------------------------------------------------------------------------------
// Order

/** A sortable key for a line's time: absolute for iso/json, within-the-year for short lines. */
function orderKey(line: string): number | undefined {
  const h = readJournaldText(line);
  if (h) {
    if (h.shape === 'iso') return h.micros;
    return (
      ((((h.month! * 32 + h.day!) * 24 + h.hour!) * 60 + h.minute!) * 61 + h.second!) * 1_000_000 +
      h.fraction!
    );
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
