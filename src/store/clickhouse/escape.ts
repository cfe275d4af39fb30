/**
 * The one way a value enters ClickHouse SQL text. ClickHouse 18.16 has no query parameters, so
 * every value that is not fixed SQL goes through `lit` (string and number literals) or `ident`
 * (quoted identifiers); nothing else builds SQL from data. Current releases read the same text.
 *
 * Strings: ClickHouse reads a quoted literal's backslash escapes (\\, \', \n, \0, \xHH...), so
 * the backslash and the quote are escaped and every control character is written as \xHH: the
 * literal stays on one line and holds exactly the string's UTF-8 bytes. A lone UTF-16 surrogate
 * (not valid text) becomes U+FFFD, as Node's UTF-8 encoder writes it anyway.
 */

function escapeBody(s: string, quote: string): string {
  let out = '';
  // for...of walks code points: a surrogate pair is one step, a lone surrogate one too.
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c >= 0xd800 && c <= 0xdfff) out += '\ufffd';
    else if (ch === '\\' || ch === quote) out += `\\${ch}`;
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out;
}

/** A SQL literal: a quoted, escaped string; a finite number as itself; null as NULL. */
export function lit(value: string | number | boolean | null): string {
  if (value === null) return 'NULL';
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
    // Integers as integers (ClickHouse would read 1e21 as a Float64 anyway); others as Float64.
    return Number.isInteger(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER ? String(value) : `toFloat64(${JSON.stringify(value)})`;
  }
  return `'${escapeBody(value, "'")}'`;
}

/**
 * A list of literals for IN (...): never empty (an empty list is `(NULL)`, which matches nothing).
 * Longer than IN_LIST_MAX is refused rather than sent: the server would answer with a syntax
 * error at max_query_size, and only on stores big enough to reach it (625k incident ids did, on
 * the 5M-event benchmark). Callers with lists that grow with the store read them inSlices.
 */
export function litList(values: readonly (string | number)[]): string {
  if (values.length > IN_LIST_MAX) throw new Error(`IN list of ${values.length} values: read it in slices of ${IN_LIST_MAX} (inSlices)`);
  return values.length === 0 ? '(NULL)' : `(${values.map(lit).join(', ')})`;
}

/**
 * Values per IN list: a query's text may not pass max_query_size (256 KiB by default, and a
 * readonly user may not raise it), so longer lists are read in slices of this many.
 */
export const IN_LIST_MAX = 5000;

/** `values` in slices of IN_LIST_MAX (none for an empty list: nothing to read). */
export function inSlices<T>(values: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += IN_LIST_MAX) out.push(values.slice(i, i + IN_LIST_MAX));
  return out;
}

/** A quoted identifier (a database or table name). */
export function ident(name: string): string {
  if (name === '') throw new Error('empty identifier');
  return `\`${escapeBody(name, '`')}\``;
}
