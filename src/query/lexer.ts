/**
 * The query language's tokens (chevrotain). Order matters where patterns overlap: chevrotain
 * takes the first token type that matches, so longer operators come before their prefixes,
 * timestamps before durations before numbers, and keywords defer to a longer name
 * (`longer_alt`), so that "android" is a name and not `and` + "roid".
 */
import { createToken, Lexer, type CustomPatternMatcherFunc, type TokenType } from 'chevrotain';

/**
 * Chevrotain rebuilds regex patterns with flags of its own and drops `u`, so patterns that need
 * Unicode classes (names such as "größe") are custom matchers over a sticky regex. Without a
 * first-character hint chevrotain tries them at every position: queries are short.
 */
function unicodePattern(re: RegExp): CustomPatternMatcherFunc {
  return (text, offset) => {
    re.lastIndex = offset;
    return re.exec(text);
  };
}

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /\s+/, group: Lexer.SKIPPED });

export const LCurly = createToken({ name: 'LCurly', pattern: '{', label: '"{"' });
export const RCurly = createToken({ name: 'RCurly', pattern: '}', label: '"}"' });
export const LParen = createToken({ name: 'LParen', pattern: '(', label: '"("' });
export const RParen = createToken({ name: 'RParen', pattern: ')', label: '")"' });
export const Comma = createToken({ name: 'Comma', pattern: ',', label: '","' });

export const PipeEq = createToken({ name: 'PipeEq', pattern: '|=', label: '"|="' });
export const PipeTilde = createToken({ name: 'PipeTilde', pattern: '|~', label: '"|~"' });
export const Pipe = createToken({ name: 'Pipe', pattern: '|', label: '"|"' });
export const NotEq = createToken({ name: 'NotEq', pattern: '!=', label: '"!="' });
export const NotTilde = createToken({ name: 'NotTilde', pattern: '!~', label: '"!~"' });
export const EqTilde = createToken({ name: 'EqTilde', pattern: '=~', label: '"=~"' });
export const DoubleEq = createToken({ name: 'DoubleEq', pattern: '==', label: '"=="' });
export const Eq = createToken({ name: 'Eq', pattern: '=', label: '"="' });
export const Gte = createToken({ name: 'Gte', pattern: '>=', label: '">="' });
export const Lte = createToken({ name: 'Lte', pattern: '<=', label: '"<="' });
export const Gt = createToken({ name: 'Gt', pattern: '>', label: '">"' });
export const Lt = createToken({ name: 'Lt', pattern: '<', label: '"<"' });

/** "..." with backslash escapes; a backslash before any other character is kept (regex-friendly). */
export const StringLit = createToken({ name: 'StringLit', pattern: /"(?:[^"\\\n]|\\[^\n])*"/, label: 'a string' });
/** `...`: taken as is, the comfortable way to write regexes. */
export const RawString = createToken({ name: 'RawString', pattern: /`[^`]*`/, label: 'a string' });

/** 2025-03-21, 2025-03-21T14:51, 2025-03-21T14:51:00.5Z, ...+01:00 (no zone: UTC). */
export const Timestamp = createToken({
  name: 'Timestamp',
  pattern: /\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?(?![\w.:-])/,
  label: 'a timestamp',
});
/** 100ms, 1.5s, 5m, 1h30m, 250us (ns, us, µs, ms, s, m, h, d). */
export const Duration = createToken({
  name: 'Duration',
  pattern: /(?:\d+(?:\.\d+)?(?:ns|us|µs|μs|ms|s|m|h|d))+(?![\w.-])/,
  label: 'a duration',
});
export const NumberLit = createToken({
  name: 'NumberLit',
  pattern: /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?![\w.-])/,
  label: 'a number',
});
/** An unquoted value that starts with a digit but is no number ("5xx", "1.2.3"). */
export const DigitWord = createToken({ name: 'DigitWord', pattern: /\d[\w.-]*/, label: 'a word' });

/** kind/name or kind/namespace/name unquoted (colons allowed: system:node:worker-1). */
export const ObjectPath = createToken({
  name: 'ObjectPath',
  pattern: unicodePattern(/[\p{L}_][\p{L}\p{N}_.-]*(?:\/[\p{L}\p{N}_.:-]+)+/uy),
  line_breaks: false,
  label: 'an object path',
});
/** Names (labels, fields: "took", "objectRef.name", "x-request-id", "größe") and bare words (warn). */
export const Identifier = createToken({
  name: 'Identifier',
  pattern: unicodePattern(/[\p{L}_][\p{L}\p{N}_.-]*/uy),
  line_breaks: false,
  label: 'a name',
});

const keyword = (name: string, word: string): TokenType =>
  createToken({
    name,
    pattern: new RegExp(word, 'i'),
    longer_alt: [ObjectPath, Identifier],
    label: `"${word}"`,
  });
export const And = keyword('And', 'and');
export const Or = keyword('Or', 'or');
export const Not = keyword('Not', 'not');
export const Since = keyword('Since', 'since');
export const Until = keyword('Until', 'until');

export const ALL_TOKENS: TokenType[] = [
  WhiteSpace,
  LCurly,
  RCurly,
  LParen,
  RParen,
  Comma,
  PipeEq,
  PipeTilde,
  Pipe,
  NotEq,
  NotTilde,
  EqTilde,
  DoubleEq,
  Eq,
  Gte,
  Lte,
  Gt,
  Lt,
  StringLit,
  RawString,
  Timestamp,
  Duration,
  NumberLit,
  DigitWord,
  And,
  Or,
  Not,
  Since,
  Until,
  ObjectPath,
  Identifier,
];

export const queryLexer = new Lexer(ALL_TOKENS, { positionTracking: 'onlyOffset', ensureOptimizations: false });
