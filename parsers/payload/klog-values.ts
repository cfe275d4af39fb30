/**
 * The key/value reader of structured klog text (KEP-1602): after the Go-quoted message come
 * ` key=value` pairs. A value is one of
 *   - a Go-quoted string (`"a \"b\"\n"`, escapes as strconv.Quote writes them);
 *   - JSON (`{"ID":"…"}`, `["a","b"]`, numbers, true/false/null), parsed;
 *   - Go `%+v` text (`&{ID:abc Type:ContainerDied}`, `map[IPv4:10.96.0.10]`, `{Name:x}`, `[a b c]`),
 *     kept as its text: the shape is not reliable enough to become structure (a value with a space
 *     in it cannot be told from the next item), so `parseGoPlusV`/`parseGoList` below give a flat
 *     reading on demand, for the object extraction that needs one;
 *   - `(MISSING)` (klog's mark for a key passed without a value), read as null;
 *   - a bare token (numbers become numbers, true/false booleans, anything else stays a string);
 *   - `<` at the end of a line: a multi-line block. Each following line is the value's next line,
 *     indented by a tab, until a line ` >`, which may go on with more ` key=value` pairs.
 * A repeated key: the last one wins. Keys may hold spaces (`"/proc/swaps contents"=<`, which
 * kubelet really writes), so a key runs from the separating space to the next `=`.
 *
 * Everything here walks the text once, char by char (bracket scans at most three times): no regex
 * that can backtrack, and nothing throws.
 */

export type Fields = Record<string, unknown>;

/** Sets a field even when the key is `__proto__`, which a plain assignment would turn into a prototype change. */
export function setField(fields: Fields, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(fields, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    fields[key] = value;
  }
}

const utf8 = new TextDecoder();

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
};

function hexValue(text: string, from: number, digits: number): number {
  if (from + digits > text.length) return -1;
  let v = 0;
  for (let i = from; i < from + digits; i++) {
    const c = text.charCodeAt(i);
    let d: number;
    if (c >= 48 && c <= 57) d = c - 48;
    else if (c >= 97 && c <= 102) d = c - 87;
    else if (c >= 65 && c <= 70) d = c - 55;
    else return -1;
    v = v * 16 + d;
  }
  return v;
}

function octalValue(text: string, from: number): number {
  if (from + 3 > text.length) return -1;
  let v = 0;
  for (let i = from; i < from + 3; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 55) return -1;
    v = v * 8 + (c - 48);
  }
  return v > 255 ? -1 : v;
}

/**
 * Where the last read of a value (readGoQuoted, readValue) ended, and whether it opened a block:
 * one cursor read right after each call, rather than an object returned per value (every pair of
 * every structured klog line made one or two).
 */
export const cursor = { end: 0, block: false };

/**
 * Reads a Go-quoted string whose opening quote is at `text[pos]`. Returns its value (and sets
 * `cursor.end` just past the closing quote), or undefined when the string is not terminated on
 * this text (a cut line). `\xNN` and octal escapes are bytes: a run of them is decoded as UTF-8,
 * the way Go's strconv.Quote wrote them from the original bytes.
 */
export function readGoQuoted(text: string, pos: number): string | undefined {
  const start = pos + 1;
  const len = text.length;
  // Fast path, most values: no escape before the closing quote.
  for (let j = start; j < len; j++) {
    const c = text.charCodeAt(j);
    if (c === 34 /* " */) {
      cursor.end = j + 1;
      return text.slice(start, j);
    }
    if (c === 92 /* \ */) break;
  }

  let out = '';
  let bytes: number[] | undefined;
  const flushBytes = (): void => {
    if (bytes) {
      out += utf8.decode(new Uint8Array(bytes));
      bytes = undefined;
    }
  };
  let seg = start;
  let i = start;
  while (i < len) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      if (i > seg) {
        flushBytes();
        out += text.slice(seg, i);
      }
      flushBytes();
      cursor.end = i + 1;
      return out;
    }
    if (c !== 92 /* \ */) {
      i++;
      continue;
    }
    if (i > seg) {
      flushBytes();
      out += text.slice(seg, i);
    }
    const e = text[i + 1];
    if (e === undefined) return undefined;
    let byte = -1;
    let consumed = 2;
    let char: string | undefined;
    if (e === 'x') {
      byte = hexValue(text, i + 2, 2);
      consumed = 4;
    } else if (e >= '0' && e <= '7') {
      byte = octalValue(text, i + 1);
      consumed = 4;
    } else if (e === 'u' || e === 'U') {
      const digits = e === 'u' ? 4 : 8;
      const cp = hexValue(text, i + 2, digits);
      if (cp >= 0 && cp <= 0x10ffff) {
        char = String.fromCodePoint(cp);
        consumed = 2 + digits;
      }
    } else {
      char = SIMPLE_ESCAPES[e];
    }
    if (byte >= 0) {
      (bytes ??= []).push(byte);
    } else {
      flushBytes();
      // An escape Go never writes: keep it as it stands rather than guess.
      out += char ?? text.slice(i, i + 2);
      if (char === undefined) consumed = 2;
    }
    i += consumed;
    seg = i;
  }
  return undefined;
}

/**
 * Index just past the bracket that closes the one at `text[open]` (`{` or `[`), or -1 when it is
 * not closed on this text. With `quoteAware`, brackets inside JSON strings do not count.
 */
function scanBalanced(text: string, open: number, quoteAware: boolean): number {
  let depth = 0;
  const len = text.length;
  for (let i = open; i < len; i++) {
    const c = text.charCodeAt(i);
    if (c === 123 /* { */ || c === 91 /* [ */) depth++;
    else if (c === 125 /* } */ || c === 93 /* ] */) {
      depth--;
      if (depth === 0) return i + 1;
      if (depth < 0) return -1;
    } else if (c === 34 /* " */ && quoteAware) {
      i++;
      while (i < len) {
        const d = text.charCodeAt(i);
        if (d === 92) i += 2;
        else if (d === 34) break;
        else i++;
      }
      if (i >= len) return -1;
    }
  }
  return -1;
}

function closeOf(text: string, open: number): number {
  const end = scanBalanced(text, open, true);
  return end >= 0 ? end : scanBalanced(text, open, false);
}

/** First chars after `[` or `{` that make JSON worth trying (`[a b]` and `{Name:x}` are %+v). */
function looksLikeJson(raw: string): boolean {
  const first = raw.charCodeAt(0);
  const next = raw.charCodeAt(1);
  if (first === 123 /* { */) return next === 34 /* " */ || next === 125 /* } */;
  if (first !== 91 /* [ */) return false;
  return (
    next === 34 || next === 93 || next === 123 || next === 91 || next === 45 || (next >= 48 && next <= 57) ||
    next === 116 /* t */ || next === 102 /* f */ || next === 110 /* n */
  );
}

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** A bare token's value: numbers and booleans typed, `(MISSING)` null, the rest as written. */
function bareValue(token: string): unknown {
  switch (token) {
    case 'true':
      return true;
    case 'false':
      return false;
    case 'null':
    case '(MISSING)':
      return null;
  }
  const c = token.charCodeAt(0);
  if ((c >= 48 && c <= 57) || c === 45) {
    if (token.length <= 32 && NUMBER.test(token)) {
      const n = Number(token);
      if (Number.isFinite(n) && (!Number.isInteger(n) || Number.isSafeInteger(n))) return n;
    }
  }
  return token;
}

/**
 * Reads the value that starts at `text[pos]` (just after `key=`): returns it, with `cursor.end`
 * set past it and `cursor.block` when it is `<` at the end of the text (a multi-line block follows).
 */
function readValue(text: string, pos: number): unknown {
  const len = text.length;
  cursor.block = false;
  cursor.end = len;
  if (pos >= len) return '';
  const c = text.charCodeAt(pos);
  if (c === 34 /* " */) {
    const q = readGoQuoted(text, pos);
    // A line cut inside the string: keep what there is rather than lose the value.
    if (q === undefined) {
      cursor.end = len;
      return text.slice(pos + 1);
    }
    return q === '(MISSING)' ? null : q;
  }
  if (c === 60 /* < */ && pos + 1 === len) {
    cursor.block = true;
    return '';
  }
  if (c === 123 || c === 91) {
    const end = closeOf(text, pos);
    if (end > 0 && (end === len || text.charCodeAt(end) === 32)) {
      cursor.end = end;
      const raw = text.slice(pos, end);
      if (looksLikeJson(raw)) {
        try {
          return JSON.parse(raw) as unknown;
        } catch {
          // Not JSON after all (`[1 2 3]` is a Go slice): keep the text.
        }
      }
      return raw;
    }
  }
  // A bare token, which may hold bracketed parts with spaces in them (`&{ID:a Type:b}`,
  // `map[a:1 b:2]`, `[]string{a b}`): those run to their closing bracket.
  // Once a bracket fails to close, no later one is tried: each try scans to the end of the text,
  // and trying them all would be quadratic on a line of brackets.
  let i = pos;
  let tryBrackets = true;
  while (i < len) {
    const d = text.charCodeAt(i);
    if (d === 32) break;
    if (tryBrackets && (d === 123 || d === 91)) {
      const end = scanBalanced(text, i, false);
      if (end < 0) {
        tryBrackets = false;
        i++;
        continue;
      }
      i = end;
      continue;
    }
    i++;
  }
  const token = text.slice(pos, i);
  cursor.end = i;
  return token.charCodeAt(0) === 38 /* & */ || token.includes('[') || token.includes('{') ? token : bareValue(token);
}

const MAX_KEY_LENGTH = 128;

export interface PairsRead {
  /** Set when the text ends with `key=<`: the block of the following lines is this key's value. */
  openBlock?: string;
  /** Text from where the pairs stopped making sense, when they did (never only spaces). */
  rest?: string;
  /** Number of pairs read. */
  count: number;
}

/**
 * Reads ` key=value` pairs from `text[pos]` (which should be the space before the first key) into
 * `fields`, until the text ends, a `key=<` opens a block, or the text stops looking like pairs.
 */
export function readPairs(text: string, pos: number, fields: Fields): PairsRead {
  const len = text.length;
  let count = 0;
  while (pos < len) {
    if (text.charCodeAt(pos) !== 32) return stopAt(text, pos, count);
    const keyStart = pos + 1;
    if (keyStart >= len) return { count };
    const eq = text.indexOf('=', keyStart);
    if (eq <= keyStart || eq - keyStart > MAX_KEY_LENGTH) return stopAt(text, pos, count);
    for (let i = keyStart; i < eq; i++) {
      const k = text.charCodeAt(i);
      if (k === 34 || k === 123 || k === 91 || k === 9) return stopAt(text, pos, count);
    }
    if (text.charCodeAt(keyStart) === 32) return stopAt(text, pos, count);
    const key = text.slice(keyStart, eq);
    const value = readValue(text, eq + 1);
    if (cursor.block) return { openBlock: key, count };
    setField(fields, key, value);
    count++;
    pos = cursor.end;
  }
  return { count };
}

function stopAt(text: string, pos: number, count: number): PairsRead {
  const rest = text.slice(pos);
  return rest.trim() === '' ? { count } : { rest, count };
}

/** ` >` closes a `key=<` block; what follows on that line is more pairs. */
export function isBlockEnd(line: string): boolean {
  return line.charCodeAt(0) === 32 && line.charCodeAt(1) === 62 && (line.length === 2 || line.charCodeAt(2) === 32);
}

const EIGHT_SPACES = '        ';

/**
 * A block line without its indent: klog writes a tab, which journalctl's text output shows as
 * eight spaces (kind's kubelet.log does).
 */
export function stripBlockIndent(line: string): string {
  if (line.charCodeAt(0) === 9) return line.slice(1);
  if (line.startsWith(EIGHT_SPACES)) return line.slice(8);
  return line;
}

export interface StructuredRead {
  /** Lines of `more` the blocks took (they all follow `from`). */
  used: number;
  /** Text left over where the pairs stopped making sense. */
  rest?: string;
  /** Pairs read on the header line itself (0: the tail is not pairs at all). */
  headerPairs: number;
  /** True when a block was opened but no ` >` came. */
  openBlock?: string;
}

/**
 * Reads the pairs of a structured event: `text` from `pos`, then while a `key=<` block is open, the
 * lines of `more` from index `from`. A block value is its lines, indent removed, joined with "\n".
 */
export function readStructured(text: string, pos: number, more: readonly string[], fields: Fields, from = 0): StructuredRead {
  let r = readPairs(text, pos, fields);
  const headerPairs = r.count + (r.openBlock !== undefined ? 1 : 0);
  let used = 0;
  while (r.openBlock !== undefined) {
    const key = r.openBlock;
    const parts: string[] = [];
    let closed = false;
    while (from + used < more.length) {
      const line = more[from + used++]!;
      if (isBlockEnd(line)) {
        setField(fields, key, parts.join('\n'));
        r = readPairs(line, 2, fields);
        closed = true;
        break;
      }
      parts.push(stripBlockIndent(line));
    }
    if (!closed) {
      setField(fields, key, parts.join('\n'));
      return { used, headerPairs, openBlock: key, ...(r.rest !== undefined ? { rest: r.rest } : {}) };
    }
  }
  return r.rest !== undefined ? { used, headerPairs, rest: r.rest } : { used, headerPairs };
}

/**
 * Does a `key=<` block stay open after these lines? (The pending lines of an event, header first.)
 * Walks back to the nearest line that opens (`=<` at its end) or closes (` >`) a block.
 */
export function blockOpenAfter(lines: readonly string[]): boolean {
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!;
    if (isBlockEnd(line)) return line.endsWith('=<');
    if (line.endsWith('=<')) return true;
    // Block lines are indented; anything else means no block is open here.
    const c = line.charCodeAt(0);
    if (c !== 9 && c !== 32) return false;
  }
  return false;
}

/**
 * A flat reading of a simple Go `%+v` struct or map: `&{ID:abc Type:ContainerDied Data:xyz}`,
 * `{Name:x Namespace:y}`, `map[IPv4:10.96.0.10]` -> `{ID:'abc', ...}`. Items are split on spaces
 * at the top level; each must be `Key:value` (the first `:` splits). An item with no `:` is taken
 * as the rest of the previous value, which had a space in it. Nested `{…}`/`[…]` values stay text.
 * Returns undefined when the text is not such a struct or map.
 */
export function parseGoPlusV(text: string): Record<string, string> | undefined {
  let from = text.charCodeAt(0) === 38 /* & */ ? 1 : 0;
  if (text.startsWith('map[', from)) from += 3;
  const open = text.charCodeAt(from);
  if (open !== 123 && open !== 91) return undefined;
  const close = scanBalanced(text, from, false);
  if (close !== text.length) return undefined;
  const items = splitTopLevel(text, from + 1, close - 1);
  const out: Record<string, string> = {};
  let last: string | undefined;
  for (const item of items) {
    const colon = item.indexOf(':');
    const bracket = item.search(/[{[]/);
    if (colon <= 0 || (bracket >= 0 && bracket < colon)) {
      if (last === undefined) return undefined;
      setField(out, last, `${out[last]} ${item}`);
      continue;
    }
    last = item.slice(0, colon);
    setField(out, last, item.slice(colon + 1));
  }
  return out;
}

/** `[a b c]` -> ['a', 'b', 'c'] (a Go slice printed with %v); undefined when not a bracketed list. */
export function parseGoList(text: string): string[] | undefined {
  if (text.charCodeAt(0) !== 91 || scanBalanced(text, 0, false) !== text.length) return undefined;
  return splitTopLevel(text, 1, text.length - 1);
}

/** Splits text[from, to) on spaces that are outside brackets; empty items dropped. */
function splitTopLevel(text: string, from: number, to: number): string[] {
  const items: string[] = [];
  let depth = 0;
  let start = from;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) depth--;
    else if (c === 32 && depth === 0) {
      if (i > start) items.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (to > start) items.push(text.slice(start, to));
  return items;
}
