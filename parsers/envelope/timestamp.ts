/**
 * A plain RFC3339 timestamp before each line: `2021-08-03T09:27:01.949552752Z <payload>`, as
 * written by `kubectl logs --timestamps`, `oc logs` and must-gather's current.log.
 */
import type { EnvelopeParser, EnvelopeReader, Line, EnvelopeRecord } from '../types.js';
import { parseRfc3339 } from '../../src/util/time.js';
import { bareRecord, lineRecord, mergeHints } from './records.js';

/** Shortest and longest timestamp token: `2021-08-03T09:27:01Z` .. nanoseconds with `+hh:mm`. */
const MIN_TS = 20;
const MAX_TS = 35;

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** The two-digit number at `at`, or -1. */
function twoDigits(text: string, at: number): number {
  const a = text.charCodeAt(at) - 48;
  const b = text.charCodeAt(at + 1) - 48;
  if (a < 0 || a > 9 || b < 0 || b > 9) return -1;
  return a * 10 + b;
}

/**
 * Reads an RFC3339 timestamp with a `T` and a zone (`Z` or an offset) at `from`, followed by a
 * space or the end of the text. Returns its time and where the payload starts, or undefined.
 * The `T` and the zone are required: a payload that starts with a local time (etcd capnslog's
 * `2021-05-26 01:55:29.382834 I | ...`) must not be taken for an envelope.
 */
export function readLeadingTimestamp(text: string, from = 0): { micros: number; payload: number } | undefined {
  // Cheap shape test before the regex: dddd-dd-ddT
  if (text.length - from < MIN_TS) return undefined;
  if (
    !isDigit(text.charCodeAt(from)) ||
    text.charCodeAt(from + 4) !== 45 ||
    text.charCodeAt(from + 7) !== 45 ||
    text.charCodeAt(from + 10) !== 84 // 'T'
  ) {
    return undefined;
  }
  // parseRfc3339 lets Date.UTC roll impossible fields over (month 13 -> next January): check them.
  const month = twoDigits(text, from + 5);
  const day = twoDigits(text, from + 8);
  const hour = twoDigits(text, from + 11);
  const minute = twoDigits(text, from + 14);
  const second = twoDigits(text, from + 17);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return undefined;
  // The token ends at the first space (or the end of the text) within MAX_TS characters.
  const limit = Math.min(text.length, from + MAX_TS);
  let end = from + MIN_TS - 1;
  while (end < limit && text.charCodeAt(end) !== 32) end++;
  if (end === limit && limit < text.length && text.charCodeAt(end) !== 32) return undefined;
  const parsed = parseRfc3339(text.slice(from, end));
  if (!parsed || !parsed.hasZone) return undefined;
  return { micros: parsed.micros, payload: end + 1 };
}

export const timestampEnvelope: EnvelopeParser = {
  name: 'timestamp',
  score(sample: string[]): number {
    let n = 0;
    for (const line of sample) if (readLeadingTimestamp(line)) n++;
    return n;
  },
  create(ctx): EnvelopeReader {
    const hints = mergeHints(ctx.hints, {});
    return {
      push(line: Line): EnvelopeRecord[] {
        const ts = readLeadingTimestamp(line.text);
        if (!ts) return [bareRecord(line, hints)];
        return [lineRecord(line, ts.payload, ts.micros, hints)];
      },
      end(): EnvelopeRecord[] {
        return [];
      },
    };
  },
};
