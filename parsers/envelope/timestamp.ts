/**
 * A plain RFC3339 timestamp before each line: `2021-08-03T09:27:01.949552752Z <payload>`, as
 * written by `kubectl logs --timestamps`, `oc logs` and must-gather's current.log.
 */
import type { EnvelopeParser, EnvelopeReader, Line, EnvelopeRecord, SourceHints } from '../types.js';
import { parseRfc3339 } from '../../src/util/time.js';
import { bareRecord, lineRecord, mergeHints } from './records.js';
import { countLines } from './score.js';

// This envelope's name, added to EnvelopeName (parsers/types.ts, EnvelopeNames).
declare module '../types.js' {
  interface EnvelopeNames {
    timestamp: true;
  }
}

/** Shortest timestamp token: `2021-08-03T09:27:01Z`. */
const MIN_TS = 20;

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
 * The last whole second and zone seen, and their time: consecutive lines mostly share them, so
 * the date arithmetic (parseRfc3339) runs once per second of log, not once per line.
 */
let cachedSecond = '';
let cachedZone = '';
let cachedMicros = 0;

/**
 * Reads an RFC3339 timestamp with a `T` and a zone (`Z` or an offset) at `from`, followed by a
 * space or the end of the text. Returns its time and where the payload starts, or undefined.
 * The `T` and the zone are required: a payload that starts with a local time (etcd capnslog's
 * `2021-05-26 01:55:29.382834 I | ...`) must not be taken for an envelope. Digits past
 * microseconds are dropped.
 */
export function readLeadingTimestamp(text: string, from = 0): { micros: number; payload: number } | undefined {
  const n = text.length;
  if (n - from < MIN_TS) return undefined;
  // dddd-dd-ddTdd:dd:dd, checked by character (no regex, no slice, on every line).
  if (
    !isDigit(text.charCodeAt(from)) ||
    !isDigit(text.charCodeAt(from + 1)) ||
    !isDigit(text.charCodeAt(from + 2)) ||
    !isDigit(text.charCodeAt(from + 3)) ||
    text.charCodeAt(from + 4) !== 45 ||
    text.charCodeAt(from + 7) !== 45 ||
    text.charCodeAt(from + 10) !== 84 || // 'T'
    text.charCodeAt(from + 13) !== 58 ||
    text.charCodeAt(from + 16) !== 58
  ) {
    return undefined;
  }
  // Impossible fields would roll over in Date.UTC (month 13 -> next January): refuse them.
  const month = twoDigits(text, from + 5);
  const day = twoDigits(text, from + 8);
  const hour = twoDigits(text, from + 11);
  const minute = twoDigits(text, from + 14);
  const second = twoDigits(text, from + 17);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second < 0 || second > 60) {
    return undefined;
  }
  let i = from + 19;
  let fraction = 0;
  const sep = text.charCodeAt(i);
  if (sep === 46 || sep === 44) {
    // '.' or ','
    i++;
    const start = i;
    while (i < n && i - start < 9 && isDigit(text.charCodeAt(i))) {
      if (i - start < 6) fraction = fraction * 10 + (text.charCodeAt(i) - 48);
      i++;
    }
    const digits = i - start;
    if (digits === 0) return undefined;
    for (let d = Math.min(digits, 6); d < 6; d++) fraction *= 10;
  }
  const zoneStart = i;
  const z = text.charCodeAt(i);
  if (z === 90 || z === 122) {
    i++; // 'Z' | 'z'
  } else if (z === 43 || z === 45) {
    // +hh:mm or +hhmm
    if (twoDigits(text, i + 1) < 0) return undefined;
    i += 3;
    if (text.charCodeAt(i) === 58) i++;
    if (twoDigits(text, i) < 0) return undefined;
    i += 2;
  } else {
    return undefined;
  }
  if (i < n && text.charCodeAt(i) !== 32) return undefined;
  const zoneLength = i - zoneStart;
  if (
    !(
      text.startsWith(cachedSecond, from) &&
      cachedSecond.length === 19 &&
      zoneLength === cachedZone.length &&
      text.startsWith(cachedZone, zoneStart)
    )
  ) {
    const secondText = text.slice(from, from + 19);
    const zoneText = text.slice(zoneStart, i);
    const parsed = parseRfc3339(secondText + zoneText);
    if (!parsed) return undefined;
    cachedSecond = secondText;
    cachedZone = zoneText;
    cachedMicros = parsed.micros;
  }
  return { micros: cachedMicros + fraction, payload: i + 1 };
}

/**
 * A line behind a prefix (compose's `service |`, kubectl's `[pod/name/container]`): the payload
 * after the prefix, timed by a timestamp right after it when there is one (`--timestamps`).
 */
export function prefixedRecord(line: Line, prefixEnd: number, hints: SourceHints): EnvelopeRecord {
  const ts = prefixEnd < line.text.length ? readLeadingTimestamp(line.text, prefixEnd) : undefined;
  if (ts) return lineRecord(line, ts.payload, ts.micros, hints);
  return lineRecord(line, prefixEnd, undefined, hints);
}

export const timestampEnvelope: EnvelopeParser = {
  samples: ['2021-08-03T09:27:17.220062870Z {"level":"info","ts":"2021-08-03T09:27:17.220Z","caller":"raft/raft.go:713","msg":"bb9c7099bd31ffff became candidate at term 8"}'],
  name: 'timestamp',
  nestable: true,
  score: countLines((line) => readLeadingTimestamp(line)),
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
