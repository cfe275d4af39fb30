/**
 * The shared reader of cloud log exports: JSON documents whose records each carry one log line
 * (Azure Monitor `{"records":[...]}`, `gcloud logging read --format=json`, CloudWatch's
 * `{"events":[...]}`, Loki's `logcli --output jsonl`). A service module says how to find the
 * records in a parsed value and what each one's line, time and hints are; this reader cuts the
 * input into JSON values and keeps the accounting exact.
 *
 * Cutting: a string- and escape-aware depth scan. A top-level array's elements are values of
 * their own (a gcloud export can be large: one element is held at a time); a top-level object
 * (one JSON line, or a pretty-printed `{"events":[...]}` page) is held whole, up to
 * MAX_VALUE_CHARS, past which its lines are handed on as they are (unrecognized, never lost).
 *
 * Accounting: every physical line belongs to exactly one record. A value's lines go to its first
 * record; the other records of the same value carry `physicalLines: 0` (many records on one line,
 * as Azure writes them). Lines that belong to no value (`[`, `]`, blank lines) are meta.
 */
import type { EnvelopeContext, EnvelopeParser, EnvelopeReader, EnvelopeRecord, Line, SourceHints, EnvelopeName } from '../types.js';
import { mergeHints, metaRecord } from './records.js';

/** One log line a service record carries. */
export interface CloudRecord {
  /** The inner line (a klog line, an audit event as JSON...), handed to the payload parsers. */
  text: string;
  /** The service's own timestamp for the record, epoch µs. */
  time?: number;
  hints: SourceHints;
  stream?: 'stdout' | 'stderr';
  /** The service's record object, shown as the event's raw text when records share lines. */
  item: unknown;
}

export interface JsonItemsService {
  name: EnvelopeName;
  /** Sample lines of the export (see EnvelopeParser.samples). */
  samples: readonly string[];
  /** How many of the sample lines look like this service's export. */
  score(sample: string[]): number;
  /** The records of one JSON value, or undefined when the value is not of this service. */
  records(value: unknown): CloudRecord[] | undefined;
}

/** A top-level object held whole up to this size (a page of CloudWatch events is at most 1 MB). */
export const MAX_VALUE_CHARS = 64 * 1024 * 1024;

interface Unit {
  parts: string[];
  raws: Line[];
  chars: number;
  firstLine: number;
}

class JsonItemsReader implements EnvelopeReader {
  private depth = 0;
  private inString = false;
  private escape = false;
  /** The top-level value is an array: its elements are the units. */
  private topArray = false;
  private unit: Unit | undefined;
  /** The unit grew past MAX_VALUE_CHARS: its lines go on as plain records until it ends. */
  private overflow = false;
  /** The highest line number already given to a record. */
  private attributed = 0;

  constructor(
    private readonly service: JsonItemsService,
    private readonly hints: SourceHints,
  ) {}

  push(line: Line): EnvelopeRecord[] {
    const out: EnvelopeRecord[] = [];
    const text = line.text;
    let start = this.unit ? 0 : -1;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (c === 92 /* \ */) this.escape = true;
        else if (c === 34 /* " */) this.inString = false;
        continue;
      }
      if (c === 34) {
        this.inString = true;
        continue;
      }
      if (c === 123 /* { */ || c === 91 /* [ */) {
        if (this.depth === 0 && c === 91) this.topArray = true;
        else if (this.depth === (this.topArray ? 1 : 0) && !this.unit) {
          this.unit = { parts: [], raws: [], chars: 0, firstLine: line.no };
          start = i;
        }
        this.depth++;
      } else if (c === 125 /* } */ || c === 93 /* ] */) {
        if (this.depth > 0) this.depth--;
        if (this.unit && this.depth === (this.topArray ? 1 : 0)) {
          this.addPart(line, text.slice(start, i + 1));
          this.finish(line.no, out);
          start = -1;
        }
        if (this.depth === 0) this.topArray = false;
      }
    }
    if (this.unit) this.addPart(line, text.slice(Math.max(0, start)));
    else if (line.no > this.attributed) {
      // No value touched this line after the last one ended: `[`, `]`, `,`, a blank line, or
      // text that is no JSON at all (kept as a record, so that it shows as unrecognized).
      this.attributed = line.no;
      out.push(text.trim().replace(/^[[\],]+$/, '') === '' ? metaRecord(line, this.hints) : { ...metaRecord(line, this.hints), kind: 'record' });
    }
    return out;
  }

  private addPart(line: Line, part: string): void {
    const u = this.unit!;
    if (u.raws[u.raws.length - 1] !== line) u.raws.push(line);
    u.chars += part.length;
    if (u.chars > MAX_VALUE_CHARS) this.overflow = true;
    if (!this.overflow) u.parts.push(part);
  }

  /** The unit ended on line `last`: its records, or its lines as they are when it is not this service's. */
  private finish(last: number, out: EnvelopeRecord[]): void {
    const u = this.unit!;
    this.unit = undefined;
    const lines = last - Math.max(u.firstLine - 1, this.attributed);
    this.attributed = Math.max(this.attributed, last);
    let records: CloudRecord[] | undefined;
    if (!this.overflow) {
      try {
        records = this.service.records(JSON.parse(u.parts.join('\n')));
      } catch {
        records = undefined;
      }
    }
    this.overflow = false;
    if (!records || records.length === 0) {
      // Not a record of this service (or not JSON): the lines, whole, as one unrecognized record.
      const raw = u.raws.map((l) => l.text).join('\n');
      out.push({ kind: 'record', text: raw, hints: this.hints, firstLine: u.firstLine, lastLine: last, raw, physicalLines: lines });
      return;
    }
    records.forEach((r, i) => {
      const rec: EnvelopeRecord = {
        kind: 'record',
        text: r.text,
        hints: mergeHints(this.hints, r.hints),
        firstLine: u.firstLine,
        lastLine: last,
        // The service's record as it stands: on a line shared by many records, the line itself
        // would not say which one this event is.
        raw: records!.length === 1 ? u.raws.map((l) => l.text).join('\n') : JSON.stringify(r.item),
        physicalLines: i === 0 ? lines : 0,
      };
      if (r.time !== undefined) rec.time = r.time;
      if (r.stream) rec.stream = r.stream;
      if (u.raws.some((l) => l.truncated)) rec.truncated = true;
      out.push(rec);
    });
  }

  end(): EnvelopeRecord[] {
    const u = this.unit;
    if (!u) return [];
    // A cut file: the open value's lines, as they are.
    this.unit = undefined;
    const raw = u.raws.map((l) => l.text).join('\n');
    const last = u.raws[u.raws.length - 1]?.no ?? u.firstLine;
    const lines = last - Math.max(u.firstLine - 1, this.attributed);
    return lines > 0 ? [{ kind: 'record', text: raw, hints: this.hints, firstLine: u.firstLine, lastLine: last, raw, physicalLines: lines }] : [];
  }
}

/** The envelope of one cloud service's export. */
export function jsonItemsEnvelope(service: JsonItemsService): EnvelopeParser {
  return {
    name: service.name,
    samples: service.samples,
    score: (sample) => service.score(sample),
    create: (ctx: EnvelopeContext) => new JsonItemsReader(service, ctx.hints),
  };
}

/** A JSON object, or undefined: for the service modules' field access. */
export function asObject(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** A non-empty string, or undefined. */
export function asString(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** A log line as services store it: without the newline the writer ended it with. */
export function withoutFinalNewline(s: string): string {
  return s.endsWith('\r\n') ? s.slice(0, -2) : s.endsWith('\n') ? s.slice(0, -1) : s;
}

/** A record of no known shape: its JSON as the line, so that it shows as unrecognized. */
export function opaqueRecord(item: unknown): CloudRecord {
  return { text: JSON.stringify(item) ?? String(item), hints: {}, item };
}
