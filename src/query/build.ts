/**
 * From tokens to typed AST nodes, with the checks grammar alone cannot make: which names take
 * which operators and values, known severities, valid regexes and timestamps. Every refusal is a
 * QueryError pointing at the token at fault.
 */
import type { IToken } from 'chevrotain';
import { SEVERITIES, type Severity } from '../model/event.js';
import { parseRfc3339 } from '../util/time.js';
import type { CompareOp, Expr, FieldValue, LineOp, TextLabel, TextOp, TimeValue } from './ast.js';
import { QueryError } from './error.js';
import { DigitWord, Duration, Identifier, NumberLit, ObjectPath, RawString, StringLit, Timestamp } from './lexer.js';
import { canonicalRegex, parseDurationMicros } from './values.js';

export const column = (tok: IToken): number => tok.startOffset + 1;

/** Labels a selector accepts ({component="kubelet"}); `level` is an alias of severity. */
export const SELECTOR_LABELS = ['component', 'host', 'severity', 'format', 'file', 'cluster'] as const;
const SELECTOR_LABEL_SET = new Set<string>([...SELECTOR_LABELS, 'level']);

const TEXT_LABELS = new Set<string>(['component', 'host', 'format', 'file', 'message', 'caller', 'cluster']);
const TEXT_OPS: readonly string[] = ['=', '!=', '=~', '!~'];
const ORDER_OPS: readonly string[] = ['>', '>=', '<', '<='];

const SEVERITY_ALIASES: Record<string, Severity> = {
  warning: 'warn',
  err: 'error',
  critical: 'fatal',
  trace: 'debug',
};

export function severityOf(word: string): Severity | undefined {
  const w = word.toLowerCase();
  const s = SEVERITY_ALIASES[w] ?? w;
  return (SEVERITIES as readonly string[]).includes(s) ? (s as Severity) : undefined;
}

/** A string literal's text: JSON-like escapes; a backslash before anything else stays (for regexes). */
export function unquote(tok: IToken): string {
  const image = tok.image;
  if (tok.tokenType === RawString) return image.slice(1, -1);
  const body = image.slice(1, -1);
  return body.replace(/\\(u[0-9a-fA-F]{4}|[\s\S])/g, (all, e: string) => {
    switch (e[0]) {
      case '"':
        return '"';
      case '\\':
        return '\\';
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case 'u':
        return e.length === 5 ? String.fromCharCode(parseInt(e.slice(1), 16)) : all;
      default:
        return all;
    }
  });
}

const isQuoted = (tok: IToken): boolean => tok.tokenType === StringLit || tok.tokenType === RawString;

/** Any value token as text: strings unquoted, bare words as written. */
function textOf(tok: IToken): string {
  return isQuoted(tok) ? unquote(tok) : tok.image;
}

function regexOf(tok: IToken, anchored: boolean): string {
  const pattern = textOf(tok);
  try {
    return canonicalRegex(pattern, anchored);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new QueryError(`column ${column(tok)}: invalid regular expression: ${why}`, column(tok), [
      'a regular expression',
    ]);
  }
}

function normalizeOp(tok: IToken): CompareOp {
  return (tok.image === '==' ? '=' : tok.image) as CompareOp;
}

function requireTextOp(name: string, opTok: IToken): TextOp {
  const op = normalizeOp(opTok);
  if (!TEXT_OPS.includes(op)) {
    throw new QueryError(
      `column ${column(opTok)}: expected =, !=, =~ or !~ after "${name}" (${name} is not ordered)`,
      column(opTok),
      [...TEXT_OPS],
    );
  }
  return op as TextOp;
}

function severityValue(valueTok: IToken, opTok: IToken): Severity {
  const s = valueTok.tokenType === Identifier || isQuoted(valueTok) ? severityOf(textOf(valueTok)) : undefined;
  if (!s) {
    throw new QueryError(
      `column ${column(valueTok)}: expected a severity after "${opTok.image}" (debug, info, warn, error or fatal)`,
      column(valueTok),
      [...SEVERITIES],
    );
  }
  return s;
}

/** A Timestamp token (or a quoted timestamp) to epoch microseconds; a date alone is its midnight UTC. */
export function timestampValue(tok: IToken, after: string): number {
  let text = textOf(tok).replace(' ', 'T');
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) text += 'T00:00:00';
  text = text.replace(/^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(?=$|Z|[+-])/, '$1:00');
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})/.exec(text);
  const valid =
    m !== null && +m[2]! >= 1 && +m[2]! <= 12 && +m[3]! >= 1 && +m[3]! <= 31 && +m[4]! < 24 && +m[5]! < 60 && +m[6]! < 61;
  const parsed = valid ? parseRfc3339(text) : undefined;
  if (!parsed) {
    throw new QueryError(
      `column ${column(tok)}: expected a timestamp after "${after}" (like 2025-03-21T14:51:00Z)`,
      column(tok),
      ['a timestamp'],
    );
  }
  return parsed.micros;
}

function labelNode(name: TextLabel, opTok: IToken, valueTok: IToken): Expr {
  const op = requireTextOp(name, opTok);
  const regex = op === '=~' || op === '!~';
  return { type: 'label', name, op, value: regex ? regexOf(valueTok, true) : textOf(valueTok) };
}

function severityNode(opTok: IToken, valueTok: IToken): Expr {
  const op = normalizeOp(opTok);
  if (op === '=~' || op === '!~') return { type: 'severity', op, pattern: regexOf(valueTok, true) };
  return { type: 'severity', op, value: severityValue(valueTok, opTok) };
}

/** A selector matcher: {name op "value"}. */
export function buildMatcher(nameTok: IToken, opTok: IToken, valueTok: IToken): Expr {
  const name = nameTok.image;
  if (!SELECTOR_LABEL_SET.has(name)) {
    throw new QueryError(
      `column ${column(nameTok)}: expected a label (${SELECTOR_LABELS.slice(0, -1).join(', ')} or ${SELECTOR_LABELS.at(-1)}), not "${name}"; ` +
        `other filters go after "|", as in {} | ${name} = "..."`,
      column(nameTok),
      [...SELECTOR_LABELS],
    );
  }
  if (name === 'severity' || name === 'level') return severityNode(opTok, valueTok);
  return labelNode(name as TextLabel, opTok, valueTok);
}

export function buildLine(opTok: IToken, valueTok: IToken): Expr {
  const op = opTok.image as LineOp;
  const regex = op === '|~' || op === '!~';
  return { type: 'line', op, value: regex ? regexOf(valueTok, false) : textOf(valueTok) };
}

export function buildTimeBound(keywordTok: IToken, valueTok: IToken): Expr {
  const since = keywordTok.image.toLowerCase() === 'since';
  const value: TimeValue =
    valueTok.tokenType === Duration
      ? { ago: parseDurationMicros(valueTok.image)! }
      : { at: timestampValue(valueTok, keywordTok.image) };
  return { type: 'time', op: since ? '>=' : '<=', value };
}

function objectNode(opTok: IToken, valueTok: IToken): Expr {
  const op = normalizeOp(opTok);
  if (op !== '=' && op !== '!=') {
    throw new QueryError(`column ${column(opTok)}: expected = or != after "object"`, column(opTok), ['=', '!=']);
  }
  const parts = valueTok.tokenType === ObjectPath || isQuoted(valueTok) ? textOf(valueTok).split('/') : [];
  if ((parts.length !== 2 && parts.length !== 3) || parts.some((p) => p === '')) {
    throw new QueryError(
      `column ${column(valueTok)}: expected an object after "${opTok.image}" (kind/namespace/name, or kind/name ` +
        `for cluster-scoped objects, like pod/default/web-1 or node/worker-1)`,
      column(valueTok),
      ['kind/namespace/name', 'kind/name'],
    );
  }
  return parts.length === 3
    ? { type: 'object', op, kind: parts[0]!, namespace: parts[1]!, name: parts[2]! }
    : { type: 'object', op, kind: parts[0]!, name: parts[1]! };
}

function fieldValue(name: string, opTok: IToken, valueTok: IToken): FieldValue {
  const op = normalizeOp(opTok);
  const t = valueTok.tokenType;
  if (ORDER_OPS.includes(op)) {
    if (t === NumberLit) return { type: 'number', value: Number(valueTok.image) };
    if (t === Duration) return { type: 'duration', micros: parseDurationMicros(valueTok.image)! };
    throw new QueryError(
      `column ${column(valueTok)}: expected a number or a duration after "${opTok.image}" (${name} ${opTok.image} 100ms)`,
      column(valueTok),
      ['a number', 'a duration'],
    );
  }
  if (op === '=~' || op === '!~') return { type: 'string', value: regexOf(valueTok, true) };
  if (t === NumberLit) return { type: 'number', value: Number(valueTok.image) };
  if (t === Duration) return { type: 'duration', micros: parseDurationMicros(valueTok.image)! };
  return { type: 'string', value: textOf(valueTok) };
}

/** `name op value` after "|": a known name (level, pod, time...) or a field. */
export function buildComparison(nameTok: IToken, opTok: IToken, valueTok: IToken): Expr {
  if (isQuoted(nameTok)) {
    const name = unquote(nameTok);
    if (name === '' || /["\\]/.test(name)) {
      throw new QueryError(
        `column ${column(nameTok)}: expected a field name without quotes or backslashes inside`,
        column(nameTok),
        ['a field name'],
      );
    }
    return { type: 'field', name, op: normalizeOp(opTok), value: fieldValue(name, opTok, valueTok) };
  }
  const name = nameTok.image;
  if (name === 'level' || name === 'severity') return severityNode(opTok, valueTok);
  if (TEXT_LABELS.has(name)) return labelNode(name as TextLabel, opTok, valueTok);
  switch (name) {
    case 'time': {
      const op = normalizeOp(opTok);
      if (op === '=~' || op === '!~') {
        throw new QueryError(
          `column ${column(opTok)}: expected =, !=, >, >=, < or <= after "time"`,
          column(opTok),
          ['=', '!=', '>', '>=', '<', '<='],
        );
      }
      return { type: 'time', op, value: { at: timestampValue(valueTok, opTok.image) } };
    }
    case 'verbosity': {
      const op = normalizeOp(opTok);
      if (op === '=~' || op === '!~' || valueTok.tokenType !== NumberLit || !Number.isInteger(Number(valueTok.image))) {
        const bad = op === '=~' || op === '!~' ? opTok : valueTok;
        throw new QueryError(
          op === '=~' || op === '!~'
            ? `column ${column(bad)}: expected =, !=, >, >=, < or <= after "verbosity"`
            : `column ${column(bad)}: expected a whole number after "${opTok.image}" (verbosity >= 4)`,
          column(bad),
          op === '=~' || op === '!~' ? ['=', '!=', '>', '>=', '<', '<='] : ['a number'],
        );
      }
      return { type: 'verbosity', op, value: Number(valueTok.image) };
    }
    case 'pod':
    case 'node':
    case 'uid': {
      const op = requireTextOp(name, opTok);
      const regex = op === '=~' || op === '!~';
      return { type: 'ref', ref: name, op, value: regex ? regexOf(valueTok, true) : textOf(valueTok) };
    }
    case 'object':
      return objectNode(opTok, valueTok);
    default:
      return { type: 'field', name, op: normalizeOp(opTok), value: fieldValue(name, opTok, valueTok) };
  }
}

/** Token types a comparison's value may be (used to describe what was expected). */
export const VALUE_TOKENS = [StringLit, RawString, NumberLit, Duration, Timestamp, DigitWord, ObjectPath, Identifier];
