/**
 * The query language: LogQL-flavoured, parsed with chevrotain.
 *
 * Grammar (tokens in lexer.ts):
 *
 *   query      := selector? stage*                       -- all parts must hold (and)
 *   selector   := "{" (matcher ("," matcher)*)? "}"
 *   matcher    := label ("=" | "!=" | "=~" | "!~") string
 *                   label: component | host | severity (alias level) | format | file
 *   stage      := lineFilter | "|" expr
 *   lineFilter := ("|=" | "!=" | "|~" | "!~") string
 *   expr       := andExpr ("or" andExpr)*
 *   andExpr    := notExpr ("and" notExpr)*
 *   notExpr    := "not" notExpr | atom
 *   atom       := "(" expr ")" | lineFilter | timeBound | comparison
 *   timeBound  := ("since" | "until") (duration | timestamp)
 *   comparison := name op value
 *                   op: "=" ("==") | "!=" | "=~" | "!~" | ">" | ">=" | "<" | "<="
 *                   value: string | number | duration | timestamp | bare word | kind/ns/name
 *
 * Meaning:
 * - Line filters look at the message and at the raw line: `|= "x"` holds when either contains
 *   x, `!= "x"` when neither does. Users search for what they see, and they see both: the
 *   message (unescaped, so JSON payloads read naturally) and the raw line (with the envelope
 *   and the klog key=value pairs that the parsers moved into fields). `|~` and `!~` are the
 *   same with a regex found anywhere (unanchored, as in Loki).
 * - `=~` and `!~` after a name match the whole value (anchored, as in Prometheus and Loki).
 *   Regexes are written as in JavaScript, plus the leading inline flags (?i), (?s), (?m), and run
 *   on RE2 (linear time; no lookaround or backreferences): see src/util/user-regex.ts.
 * - Strings: "..." with \" \\ \n \t \r \uXXXX (a backslash before anything else is kept, so
 *   "\d+" is the regex \d+), or `...` taken as is.
 * - Names after "|":
 *     level, severity     ordered debug < info < warn < error < fatal (`level >= warn`);
 *                         warning, err, critical, trace are accepted as aliases
 *     component, host, format (payload format: klog, etcd-zap...), file (the source's display
 *     name), message, caller, cluster (the cluster the event's input belongs to, '' for
 *     none): text (=, !=, =~, !~)
 *     pod = "ns/name"     an object reference of kind Pod with that namespace and name
 *     pod = "name"        ... with that name, any namespace
 *     node = "worker-1"   an object reference of kind Node (the host an event came from is
 *                         `host`)
 *     uid = "..."         an object reference of any kind with that uid
 *     object = pod/default/web-1, object = node/worker-1
 *                         kind/namespace/name, or kind/name (any namespace); kind without case
 *     time op timestamp   2025-03-21T14:51:00Z; a date alone is its midnight UTC; no zone is UTC
 *     verbosity op n      klog's -v level of the line
 *     any other name      a top-level key of the event's fields ("took", "code", "reason");
 *                         quote it ("since" = 1, "host" = "x") to reach a field whose name is a
 *                         keyword or one of the names above
 * - Field values: a number compares numerically with JSON numbers and numeric strings ("500");
 *   a duration (100ms, 1.5s, 5m, 1h30m) with duration strings ("469.7ms"), in microseconds;
 *   a string (or bare word) compares with the field's text (strings as they are, other JSON
 *   values as their JSON text). >, >=, <, <= need a number or a duration. A missing field makes
 *   =, =~ and the orderings false and != and !~ true (they are the negations).
 * - Time ranges: `| since 15m` is time >= now - 15m and `| until 2025-03-21T15:00:00Z` is
 *   time <= that: the same words and meaning as the read command's --since and --until. `now` is
 *   given when compiling (the TUI may pass the end of the data instead of the wall clock).
 *   Absolute bounds can also be written `| time >= 2025-03-21T14:51:00Z`.
 */
import { EmbeddedActionsParser, EOF, type IRecognitionException, type IToken, type ParserMethod, type TokenType } from 'chevrotain';
import { SEVERITIES } from '../model/event.js';
import type { Expr } from './ast.js';
import { buildComparison, buildLine, buildMatcher, buildTimeBound, column, SELECTOR_LABELS, VALUE_TOKENS } from './build.js';
import { QueryError } from './error.js';
import {
  ALL_TOKENS,
  And,
  Comma,
  DigitWord,
  DoubleEq,
  Duration,
  Eq,
  EqTilde,
  Gt,
  Gte,
  Identifier,
  LCurly,
  LParen,
  Lt,
  Lte,
  Not,
  NotEq,
  NotTilde,
  NumberLit,
  ObjectPath,
  Or,
  Pipe,
  PipeEq,
  PipeTilde,
  queryLexer,
  RawString,
  RCurly,
  RParen,
  Since,
  StringLit,
  Timestamp,
  Until,
} from './lexer.js';

function flatten(kind: 'and' | 'or', items: Expr[]): Expr[] {
  return items.flatMap((e) => (e.type === kind ? e.items : [e]));
}

/** A label matcher's operators; a comparison's are those and the ordering ones (longest first). */
const MATCH_OPS: readonly TokenType[] = [Eq, DoubleEq, NotEq, EqTilde, NotTilde];
const COMPARE_OPS: readonly TokenType[] = [...MATCH_OPS, Gte, Gt, Lte, Lt];

class QueryParser extends EmbeddedActionsParser {
  constructor() {
    super(ALL_TOKENS, { recoveryEnabled: false, maxLookahead: 2 });
    this.performSelfAnalysis();
  }

  query = this.RULE('query', (): Expr => {
    const items: Expr[] = [];
    this.OPTION(() => {
      const matchers = this.SUBRULE(this.selector);
      this.ACTION(() => items.push(...matchers));
    });
    this.MANY(() => {
      const stage = this.SUBRULE(this.stage);
      this.ACTION(() => items.push(stage));
    });
    return this.ACTION(() => ({ type: 'and', items: flatten('and', items) }) as Expr);
  });

  private selector = this.RULE('selector', (): Expr[] => {
    const out: Expr[] = [];
    this.CONSUME(LCurly);
    this.OPTION(() => {
      const first = this.SUBRULE(this.matcher);
      this.ACTION(() => out.push(first));
      this.MANY(() => {
        this.CONSUME(Comma);
        const next = this.SUBRULE2(this.matcher);
        this.ACTION(() => out.push(next));
      });
    });
    this.CONSUME(RCurly);
    return out;
  });

  private matcher = this.RULE('matcher', (): Expr => {
    const name = this.CONSUME(Identifier);
    const op = this.oneOf(0, MATCH_OPS);
    const value = this.OR2([{ ALT: () => this.CONSUME(StringLit) }, { ALT: () => this.CONSUME(RawString) }]);
    return this.ACTION(() => buildMatcher(name, op, value));
  });

  private stage = this.RULE('stage', (): Expr => {
    return this.OR([
      { ALT: () => this.SUBRULE(this.lineFilter) },
      {
        ALT: () => {
          this.CONSUME(Pipe);
          return this.SUBRULE(this.expr);
        },
      },
    ]);
  });

  private lineFilter = this.RULE('lineFilter', (): Expr => {
    const op = this.OR([
      { ALT: () => this.CONSUME(PipeEq) },
      { ALT: () => this.CONSUME(NotEq) },
      { ALT: () => this.CONSUME(PipeTilde) },
      { ALT: () => this.CONSUME(NotTilde) },
    ]);
    const value = this.OR2([{ ALT: () => this.CONSUME(StringLit) }, { ALT: () => this.CONSUME(RawString) }]);
    return this.ACTION(() => buildLine(op, value));
  });

  private expr = this.RULE('expr', (): Expr => this.chain('or', Or, this.andExpr));

  private andExpr = this.RULE('andExpr', (): Expr => this.chain('and', And, this.notExpr));

  /** `operand (op operand)*` of one rule, flattened: `or` over `and` operands, `and` over `not` ones. */
  private chain(kind: 'and' | 'or', op: TokenType, operand: ParserMethod<[], Expr>): Expr {
    const items: Expr[] = [this.SUBRULE(operand)];
    this.MANY(() => {
      this.CONSUME(op);
      const next = this.SUBRULE2(operand);
      this.ACTION(() => items.push(next));
    });
    return this.ACTION(() => (items.length === 1 ? items[0]! : { type: kind, items: flatten(kind, items) }));
  }

  private notExpr = this.RULE('notExpr', (): Expr => {
    return this.OR([
      {
        ALT: () => {
          this.CONSUME(Not);
          const inner = this.SUBRULE(this.notExpr);
          return this.ACTION((): Expr => ({ type: 'not', expr: inner }));
        },
      },
      { ALT: () => this.SUBRULE(this.atom) },
    ]);
  });

  private atom = this.RULE('atom', (): Expr => {
    return this.OR([
      {
        ALT: () => {
          this.CONSUME(LParen);
          const inner = this.SUBRULE(this.expr);
          this.CONSUME(RParen);
          return inner;
        },
      },
      { ALT: () => this.SUBRULE(this.lineFilter) },
      { ALT: () => this.SUBRULE(this.timeBound) },
      { ALT: () => this.SUBRULE(this.comparison) },
    ]);
  });

  private timeBound = this.RULE('timeBound', (): Expr => {
    const keyword = this.OR([{ ALT: () => this.CONSUME(Since) }, { ALT: () => this.CONSUME(Until) }]);
    const value = this.OR2([{ ALT: () => this.CONSUME(Duration) }, { ALT: () => this.CONSUME(Timestamp) }]);
    return this.ACTION(() => buildTimeBound(keyword, value));
  });

  private comparison = this.RULE('comparison', (): Expr => {
    const name = this.OR([{ ALT: () => this.CONSUME(Identifier) }, { ALT: () => this.CONSUME(StringLit) }]);
    const op = this.oneOf(2, COMPARE_OPS);
    const value = this.SUBRULE(this.value);
    return this.ACTION(() => buildComparison(name, op, value));
  });

  private value = this.RULE('value', (): IToken => this.oneOf(0, VALUE_TOKENS));

  /** One of these tokens, as the rule's `idx`-th alternation (OR is 0, OR2 is 2). */
  private oneOf(idx: number, tokens: readonly TokenType[]): IToken {
    return this.or(idx, tokens.map((t) => ({ ALT: () => this.CONSUME(t) })));
  }
}

const parser = new QueryParser();

// ---------------------------------------------------------------------------------------------
// Errors: what the grammar accepts at the failing position comes from chevrotain's content
// assist over the tokens before it, so the expectations can never drift from the grammar.

const OPS = [Eq, NotEq, EqTilde, NotTilde, Gt, Gte, Lt, Lte];
const LINE_OPS = [PipeEq, NotEq, PipeTilde, NotTilde];
const FILTER_START = [LParen, Not, Since, Until, Identifier, StringLit, ...LINE_OPS];

const TOKEN_NAMES = new Map<TokenType, string>([
  [StringLit, 'a string'],
  [RawString, 'a string'],
  [NumberLit, 'a number'],
  [Duration, 'a duration'],
  [Timestamp, 'a timestamp'],
  [DigitWord, 'a word'],
  [ObjectPath, 'kind/namespace/name'],
  [Identifier, 'a name'],
  [EOF, 'the end of the query'],
]);

function tokenName(t: TokenType): string {
  return TOKEN_NAMES.get(t) ?? (t.LABEL ? t.LABEL.replace(/^"(.*)"$/, '$1') : t.name);
}

function joinOr(items: string[]): string {
  const quoted = items.map((i) => (/^(a|an|the) /.test(i) ? i : `"${i}"`));
  return quoted.length <= 1 ? (quoted[0] ?? '') : `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
}

interface Expectation {
  what: string;
  detail?: string;
  expected: string[];
}

/** A value after `name op`: what that name takes. */
function valueExpectation(name: string | undefined): Expectation {
  switch (name) {
    case 'level':
    case 'severity':
      return { what: 'a severity', detail: 'debug, info, warn, error or fatal', expected: [...SEVERITIES] };
    case 'time':
      return { what: 'a timestamp', detail: 'like 2025-03-21T14:51:00Z', expected: ['a timestamp'] };
    case 'object':
      return {
        what: 'an object',
        detail: 'kind/namespace/name or kind/name',
        expected: ['kind/namespace/name', 'kind/name'],
      };
    case 'pod':
      return { what: 'a pod', detail: '"namespace/name" or "name"', expected: ['a string'] };
    case 'verbosity':
      return { what: 'a number', expected: ['a number'] };
    case 'component':
    case 'host':
    case 'format':
    case 'file':
    case 'message':
    case 'caller':
    case 'cluster':
    case 'node':
    case 'uid':
      return { what: 'a string', expected: ['a string'] };
    default:
      return {
        what: 'a value',
        detail: 'a string, number, duration or severity',
        expected: ['a string', 'a number', 'a duration', 'a severity'],
      };
  }
}

function describe(types: Set<TokenType>, tokens: IToken[], index: number): Expectation {
  const prev = tokens[index - 1];
  const has = (list: TokenType[]): boolean => list.every((t) => types.has(t));
  if (has(VALUE_TOKENS)) {
    const nameTok = tokens[index - 2];
    return valueExpectation(nameTok?.tokenType === Identifier ? nameTok.image : undefined);
  }
  if (has(OPS)) {
    return {
      what: 'an operator',
      detail: '=, !=, =~, !~, >, >=, < or <=',
      expected: ['=', '!=', '=~', '!~', '>', '>=', '<', '<='],
    };
  }
  if (has([Eq, NotEq, EqTilde, NotTilde]) && !types.has(Gt)) {
    return { what: 'an operator', detail: '=, !=, =~ or !~', expected: ['=', '!=', '=~', '!~'] };
  }
  if (has(FILTER_START)) {
    return {
      what: 'a filter',
      detail: 'a name such as level, pod or a field, "not", "(", a line filter, since or until',
      expected: ['a name', 'not', '(', '|=', '!=', '|~', '!~', 'since', 'until'],
    };
  }
  const inSelector = prev?.tokenType === LCurly || prev?.tokenType === Comma;
  if (inSelector && types.has(Identifier)) {
    const close = types.has(RCurly);
    return {
      what: `a label (${joinOr([...SELECTOR_LABELS]).replace(/"/g, '')})${close ? ' or "}"' : ''}`,
      expected: [...SELECTOR_LABELS, ...(close ? ['}'] : [])],
    };
  }
  const names: string[] = [];
  for (const t of types) {
    const n = tokenName(t);
    if (!names.includes(n)) names.push(n);
  }
  return { what: joinOr(names), expected: names };
}

function expectationAt(tokens: IToken[], index: number, allowEnd: boolean): Expectation {
  const types = new Set<TokenType>();
  for (const path of parser.computeContentAssist('query', tokens.slice(0, index))) types.add(path.nextTokenType);
  if (allowEnd) types.add(EOF);
  return describe(types, tokens, index);
}

function message(col: number, exp: Expectation, prev: IToken | undefined, extra = ''): string {
  const after = prev ? ` after ${prev.image.startsWith('"') ? prev.image : `"${prev.image}"`}` : '';
  const detail = exp.detail ? ` (${exp.detail})` : '';
  return `column ${col}: ${extra}expected ${exp.what}${after}${detail}`;
}

function syntaxError(text: string, tokens: IToken[], err: IRecognitionException): QueryError {
  const atEnd = err.token.tokenType === EOF;
  const index = atEnd ? tokens.length : tokens.indexOf(err.token);
  const col = atEnd ? text.length + 1 : column(err.token);
  const exp = expectationAt(tokens, index, err.name === 'NotAllInputParsedException');
  return new QueryError(message(col, exp, tokens[index - 1]), col, exp.expected);
}

function lexError(text: string, tokens: IToken[], offset: number): QueryError {
  const col = offset + 1;
  const ch = text[offset]!;
  const index = tokens.filter((t) => t.startOffset < offset).length;
  if (ch === '"' || ch === '`') {
    return new QueryError(`column ${col}: unterminated string: expected a closing ${ch}`, col, [ch]);
  }
  const exp = expectationAt(tokens, index, false);
  return new QueryError(message(col, exp, tokens[index - 1], `unexpected character "${ch}": `), col, exp.expected);
}

/** Parses a query to its AST; throws QueryError (with column and expectations) on bad input. */
export function parseQuery(text: string): Expr {
  const lexed = queryLexer.tokenize(text);
  if (lexed.errors.length > 0) throw lexError(text, lexed.tokens, lexed.errors[0]!.offset);
  parser.input = lexed.tokens;
  const ast = parser.query();
  const first = parser.errors[0];
  if (first) throw syntaxError(text, lexed.tokens, first);
  return ast;
}

/** Token types the grammar accepts after `text` (for completion in the TUI's query box). */
export function expectedAfter(text: string): string[] {
  const lexed = queryLexer.tokenize(text);
  return expectationAt(lexed.tokens, lexed.tokens.length, false).expected;
}
