/**
 * The value semantics that the SQL compiler and the predicate compiler share. Whatever can differ
 * between SQLite and JavaScript (regex flavour, what counts as a number or a duration in a field)
 * is decided here, once: the SQL side calls these same functions through registered SQLite
 * functions, so a query selects the same events from the store as from a stream.
 */
import { SEVERITIES, type Severity } from '../model/event.js';
import { compileUserRegex, type UserRegex } from '../util/user-regex.js';

// ---------------------------------------------------------------------------------------------
// Durations

const DURATION_PART = /(\d+(?:\.\d+)?|\.\d+)(ns|us|µs|μs|ms|s|m|h|d)/y;
const UNIT_MICROS: Record<string, number> = {
  ns: 1e-3,
  us: 1,
  µs: 1,
  μs: 1,
  ms: 1e3,
  s: 1e6,
  m: 60e6,
  h: 3600e6,
  d: 86400e6,
};

/**
 * A duration to microseconds: one or more number+unit parts, as Go prints them ("469.7ms",
 * "1m30s", "2h45m0.5s", "123µs") and as queries write them ("100ms", "1.5s", "5m"), with an
 * optional sign. Undefined for anything else, including a bare number (it has no unit).
 */
export function parseDurationMicros(text: string): number | undefined {
  if (text.length === 0 || text.length > 64) return undefined;
  let i = 0;
  let sign = 1;
  if (text[0] === '-' || text[0] === '+') {
    sign = text[0] === '-' ? -1 : 1;
    i = 1;
  }
  let total = 0;
  let parts = 0;
  while (i < text.length) {
    DURATION_PART.lastIndex = i;
    const m = DURATION_PART.exec(text);
    if (!m) return undefined;
    total += Number(m[1]) * UNIT_MICROS[m[2]!]!;
    i = DURATION_PART.lastIndex;
    parts++;
  }
  return parts === 0 ? undefined : sign * total;
}

// ---------------------------------------------------------------------------------------------
// Field values
//
// A field is compared through the JSON text of its value (what the store keeps). It is absent
// when the event has no such field or its value is null: then =, =~ and the ordering operators
// are false and != and !~ are true (they are the negations of = and =~).

const NUMERIC = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A field value as a number: JSON numbers, and strings that are exactly a decimal number. */
export function fieldNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.length <= 64 && NUMERIC.test(value)) {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** A field value as a duration in microseconds: strings such as "469.7ms" (never bare numbers). */
export function fieldDuration(value: unknown): number | undefined {
  return typeof value === 'string' ? parseDurationMicros(value) : undefined;
}

/**
 * The text a field compares as with = and =~: a string as itself, anything else (number,
 * boolean, object, array) as its JSON text. Undefined when absent.
 */
export function fieldText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  const json = JSON.stringify(value) as string | undefined;
  return json === undefined || json === 'null' ? undefined : json;
}

/** The same readers over the JSON text SQLite gives for `fields -> path` (NULL when missing). */
export function jsonFieldNumber(json: unknown): number | null {
  return typeof json === 'string' ? (fieldNumber(JSON.parse(json)) ?? null) : null;
}

export function jsonFieldDuration(json: unknown): number | null {
  return typeof json === 'string' ? (fieldDuration(JSON.parse(json)) ?? null) : null;
}

/** The JSON path of a top-level field (names with `"` or `\` are refused by the parser). */
export function fieldPath(name: string): string {
  return `$."${name}"`;
}

// ---------------------------------------------------------------------------------------------
// Regular expressions
//
// JavaScript syntax with RE2's leading inline flags "(?i)", "(?s)", "(?m)" (as in Loki), so that
// `|~ "(?i)error"` works as users expect; they run on RE2 (src/util/user-regex.ts), in time
// linear in the line, so no pattern can hang a query. Matchers on names (=~ and !~ in selectors
// and filters) are anchored to the whole value, as in Prometheus and Loki; line filters (|~, !~
// on the line) find the pattern anywhere.

const INLINE_FLAGS = /^\(\?[ims]+\)/;

/**
 * The canonical pattern text both sides use: the inline flags kept in front and the anchoring
 * applied to the rest. Throws UserRegexError (a SyntaxError) for an invalid or unsupported pattern.
 */
export function canonicalRegex(pattern: string, anchored: boolean): string {
  const m = INLINE_FLAGS.exec(pattern);
  const flags = m ? m[0] : '';
  const body = m ? pattern.slice(m[0].length) : pattern;
  compileRegex(pattern); // errors quote the pattern as written, not its anchored form
  return flags + (anchored ? `^(?:${body})$` : body);
}

/** A canonical pattern (see canonicalRegex) to its compiled, cached matcher. */
export function compileRegex(canonical: string): UserRegex {
  return compileUserRegex(canonical);
}

// ---------------------------------------------------------------------------------------------
// Severities and fixed value sets

/** The severities (as ranks 0..4) whose names a canonical pattern matches. */
export function severitiesMatching(canonical: string): number[] {
  const re = compileRegex(canonical);
  const out: number[] = [];
  SEVERITIES.forEach((s, i) => {
    if (re.test(s)) out.push(i);
  });
  return out;
}

export function severityRankOf(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** ASCII-only lowercase, as SQLite's NOCASE collation folds: kinds compare this way on both sides. */
export function asciiLower(s: string): string {
  return s.replace(/[A-Z]+/g, (c) => c.toLowerCase());
}

/** How a namespaced reference reads in `pod =~ "..."`: "namespace/name", or "name" alone. */
export function refText(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}
