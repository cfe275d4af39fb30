/**
 * The TUI's queries: what the user types in the filter or search bar, checked as they type and
 * compiled for the store once applied. Parsing happens here so that components only ever see
 * the outcome (a compiled query, or an error with the column to point at).
 */
import type { Expr } from '../../query/ast.js';
import { compileSql, type SqlFilter } from '../../query/compile-sql.js';
import { QueryError } from '../../query/error.js';
import { parseQuery } from '../../query/parser.js';

export interface CompiledQuery {
  /** The text as typed (trimmed). */
  text: string;
  expr: Expr;
  sql: SqlFilter;
}

export interface QueryProblem {
  message: string;
  /** 1-based column of the problem in the text. */
  column: number;
  expected: string[];
}

export type QueryOutcome = { ok: true; query: CompiledQuery } | { ok: false; problem: QueryProblem };

/**
 * Parses and compiles a query. `now` is what `since 15m` counts back from: the TUI passes the
 * end of the data, so that an old bundle's "last 15 minutes" are its own last minutes.
 */
export function compileQuery(text: string, now: number): QueryOutcome {
  const trimmed = text.trim();
  let expr: Expr;
  try {
    expr = parseQuery(trimmed);
  } catch (err) {
    if (err instanceof QueryError) {
      // The column counts from the trimmed text; point at the same character in what was typed.
      const lead = text.length - text.trimStart().length;
      return { ok: false, problem: { message: err.message, column: err.column + lead, expected: err.expected } };
    }
    // The parser promises QueryError for bad input; anything else is reported, not thrown, so
    // that a keystroke can never take the terminal down.
    return { ok: false, problem: { message: String(err instanceof Error ? err.message : err), column: 1, expected: [] } };
  }
  return { ok: true, query: { text: trimmed, expr, sql: compileSql(expr, { correlated: true, now }) } };
}

/** An empty query (no filter). */
export function isEmptyQuery(q: CompiledQuery | undefined): boolean {
  return !q || (q.expr.type === 'and' && q.expr.items.length === 0);
}

/** Events at or above error (the `e` key). */
export const ERRORS: Expr = { type: 'severity', op: '>=', value: 'error' };
/** Warnings (the `w` key). */
export const WARNINGS: Expr = { type: 'severity', op: '=', value: 'warn' };

/** The filter in force combined with another condition (both must hold), compiled. */
export function filterAnd(base: CompiledQuery | undefined, extra: Expr, now: number): SqlFilter {
  const items = base && !isEmptyQuery(base) ? [base.expr, extra] : [extra];
  return compileSql({ type: 'and', items }, { correlated: true, now });
}
