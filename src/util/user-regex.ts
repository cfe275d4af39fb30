/**
 * Every regular expression a user writes (query line filters and field, label, severity and
 * reference matches, in `ktrail query`, the TUI's filter and `ktrail ci` expectations) is compiled
 * here and runs on RE2, never on JavaScript's backtracking engine: log text is untrusted, and on a
 * backtracking engine `(a+)+$` takes minutes on a 41-character line.
 *
 * The engine is re2js, a pure-JavaScript port of RE2 (linear time in the input, maintained, no
 * native build). The `re2` native addon was not chosen: its install downloads a prebuilt binary
 * from outside the npm registry, or else compiles RE2 and Abseil with node-gyp, which is slow on
 * a small machine and fragile in CI. A time budget over RegExp was not chosen either: V8 cannot
 * interrupt a running match, so a budget needs a worker per match and still burns the budget.
 *
 * Patterns are written in JavaScript syntax (re2js translates `\uXXXX`, `(?<name>...)`, `/`), with
 * RE2's inline flags `(?i)`, `(?s)`, `(?m)` at the front. RE2 has no lookaround and no
 * backreferences; those are refused with an error that says so.
 */
import { createRequire } from 'node:module';
import type * as Re2js from 're2js';

/**
 * re2js, loaded by the first pattern compiled: evaluating it costs about 20 ms of CPU, which every
 * store-backed command paid at start-up (the store registers the `regexp` SQL function, whose
 * module imports this one) though most never run a regex. Its CommonJS build, so that the load
 * stays synchronous; only this module uses it (its error class is checked here only).
 */
let re2: typeof Re2js | undefined;
function engine(): typeof Re2js {
  return (re2 ??= createRequire(import.meta.url)('re2js') as typeof Re2js);
}

/** A pattern RE2 cannot compile; the message says why, in words a user can act on. */
export class UserRegexError extends SyntaxError {
  override name = 'UserRegexError';
}

export interface UserRegex {
  /** The pattern as the user wrote it (after ktrail's own anchoring, if any). */
  readonly source: string;
  /** True when the pattern matches anywhere in `text` (anchors in the pattern are honoured). */
  test(text: string): boolean;
}

const WHY_LINEAR = 'ktrail runs regular expressions on RE2, which matches in linear time';

/** RE2's own message for a construct it lacks, turned into what the user should know. */
function explain(pattern: string, message: string): string {
  const why = message.replace(/^error parsing regexp: /, '');
  if (/unsupported Perl syntax: `\(\?[=!]/.test(why) || /invalid named capture: `\(\?<[=!]/.test(why)) {
    return `lookaround ((?=...), (?!...), (?<=...), (?<!...)) is not supported: ${WHY_LINEAR}`;
  }
  if (/invalid escape sequence: `\\([1-9]|k)/.test(why)) {
    return `backreferences (\\1, \\k<name>) are not supported: ${WHY_LINEAR}`;
  }
  return `/${pattern}/: ${why}`;
}

/** `\k<name>`, not itself escaped: a named backreference (translation would read it as "k<name>"). */
const NAMED_BACKREFERENCE = /(?:^|[^\\])(?:\\\\)*\\k</;

const cache = new Map<string, UserRegex>();

/**
 * Compiles a user's pattern (cached: the SQL side calls this once per row). Throws
 * UserRegexError for an invalid or unsupported pattern.
 */
export function compileUserRegex(pattern: string): UserRegex {
  const hit = cache.get(pattern);
  if (hit) return hit;
  if (NAMED_BACKREFERENCE.test(pattern)) throw new UserRegexError(explain(pattern, 'invalid escape sequence: `\\k`'));
  const { RE2JS, RE2JSException } = engine();
  let re: Re2js.RE2JS;
  try {
    re = RE2JS.compile(RE2JS.translateRegExp(pattern));
  } catch (err) {
    if (err instanceof RE2JSException) throw new UserRegexError(explain(pattern, err.message));
    throw err;
  }
  const compiled: UserRegex = { source: pattern, test: (text) => re.test(text) };
  if (cache.size >= 256) cache.clear();
  cache.set(pattern, compiled);
  return compiled;
}
