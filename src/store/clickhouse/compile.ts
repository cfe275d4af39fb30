/**
 * The query AST (src/query/ast.ts) to a ClickHouse WHERE clause over `events`: the sibling of
 * src/query/compile-sql.ts (SQLite), from the same AST and with the same value semantics, shared
 * through src/query/values.ts: severities and components matched in JavaScript into IN lists,
 * regexes canonicalized (anchoring, inline flags) by the same function, field numbers and
 * durations computed at ingest by the same readers (the events' number_/duration_ arrays).
 *
 * Every value is a literal through escape.ts (18.16 has no query parameters). Every fragment is
 * two-valued (0 or 1, never NULL: nullable columns go through ifNull), so that NOT is exact.
 * Regexes run on ClickHouse's RE2 after re2js's translation of JavaScript syntax to RE2's, the
 * engine the stream side runs too.
 */
import { RE2JS } from 're2js';
import { COMPONENTS } from '../../model/event.js';
import type { Expr } from '../../query/ast.js';
import { filterSource, resolveTime, type SqlFilter } from '../../query/compile-sql.js';
import { asciiLower, compileRegex, severitiesMatching, severityRankOf } from '../../query/values.js';
import { lit, litList } from './escape.js';

const OP: Record<string, string> = { '=': '=', '!=': '!=', '>': '>', '>=': '>=', '<': '<', '<=': '<=' };

const FLAGS = /^\(\?[ims]+\)/;

/**
 * A canonical pattern (values.ts) as RE2 reads it. ClickHouse 18.16 looks for a literal that every
 * match must contain before running RE2, and ignores a leading (?i) when it does: match('an
 * error', '(?i)ERROR') is 0 there. An alternative that never matches ([^\s\S]) at the top level
 * turns that shortcut off without changing what the pattern matches.
 */
function re(canonical: string): string {
  const pattern = RE2JS.translateRegExp(canonical);
  const flags = FLAGS.exec(pattern);
  return lit(flags ? `${flags[0]}(?:${pattern.slice(flags[0].length)})|[^\\s\\S]` : pattern);
}

const not = (op: string, positive: string): string => (op === '!=' || op === '!~' ? `NOT (${positive})` : positive);

/** `column` (nullable or not) against a text op: = or a regex match, false when NULL. */
function text(column: string, op: string, value: string): string {
  const test = op === '=~' || op === '!~' ? `match(${column}, ${re(value)})` : `${column} = ${lit(value)}`;
  return not(op, `ifNull(${test}, 0)`);
}

class ClickhouseBuilder {
  constructor(private readonly opts: { correlated: boolean; now: number }) {}

  /** Events whose references (or, correlated, linked objects) satisfy `where` over kind/namespace/name/uid. */
  private refs(where: string): string {
    const direct = `events.id IN (SELECT event_id FROM event_refs WHERE ${where})`;
    if (!this.opts.correlated) return direct;
    return `(${direct} OR events.id IN (SELECT event_id FROM event_objects WHERE object_id IN (SELECT id FROM objects WHERE ${where})))`;
  }

  private kind(kind: string): string {
    // lower() folds ASCII only, as SQLite's NOCASE does.
    return `lower(kind) = ${lit(asciiLower(kind))}`;
  }

  private field(e: Extract<Expr, { type: 'field' }>): string {
    const key = lit(e.name);
    const v = e.value;
    if (v.type === 'string' && (e.op === '=' || e.op === '!=' || e.op === '=~' || e.op === '!~')) {
      const value = `field_texts[indexOf(field_keys, ${key})]`;
      const test = e.op === '=~' || e.op === '!~' ? `match(${value}, ${re(v.value)})` : `${value} = ${lit(v.value)}`;
      return not(e.op, `(has(field_keys, ${key}) AND ${test})`);
    }
    const [keys, values] = v.type === 'duration' ? ['duration_keys', 'duration_values'] : ['number_keys', 'number_values'];
    const operand = v.type === 'duration' ? v.micros : v.type === 'number' ? v.value : Number.NaN;
    // A string compared with an ordering, or a NaN: nothing compares (as in SQLite, NULL).
    if (!Number.isFinite(operand)) return e.op === '!=' ? '1' : '0';
    const op = e.op === '!=' ? '=' : e.op;
    const test = `(has(${keys}, ${key}) AND ${values}[indexOf(${keys}, ${key})] ${OP[op]} ${lit(operand)})`;
    return e.op === '!=' ? `NOT ${test}` : test;
  }

  build(e: Expr): string {
    switch (e.type) {
      case 'and':
      case 'or':
        // An empty conjunction is true, an empty disjunction false.
        if (e.items.length === 0) return e.type === 'and' ? '1' : '0';
        return `(${e.items.map((item) => this.build(item)).join(e.type === 'and' ? ' AND ' : ' OR ')})`;
      case 'not':
        return `NOT (${this.build(e.expr)})`;
      case 'line': {
        const positive =
          e.op === '|=' || e.op === '!='
            ? `(position(events.message, ${lit(e.value)}) > 0 OR position(events.raw, ${lit(e.value)}) > 0)`
            : `(match(events.message, ${re(e.value)}) OR match(events.raw, ${re(e.value)}))`;
        return e.op === '!=' || e.op === '!~' ? `NOT ${positive}` : positive;
      }
      case 'label': {
        if (e.name === 'component' && (e.op === '=~' || e.op === '!~')) {
          const matcher = compileRegex(e.value);
          return not(e.op, `events.component IN ${litList(COMPONENTS.filter((c) => matcher.test(c)))}`);
        }
        if (e.name === 'file') {
          const test = e.op === '=~' || e.op === '!~' ? `match(display, ${re(e.value)})` : `display = ${lit(e.value)}`;
          return not(e.op, `events.source_id IN (SELECT id FROM sources WHERE ${test})`);
        }
        return text(`events.${e.name}`, e.op, e.value);
      }
      case 'severity':
        if ('pattern' in e) return not(e.op, `events.severity IN ${litList(severitiesMatching(e.pattern))}`);
        return `events.severity ${OP[e.op]} ${lit(severityRankOf(e.value))}`;
      case 'time':
        return `events.time ${OP[e.op]} ${lit(resolveTime(e.value, this.opts.now))}`;
      case 'verbosity':
        return not(e.op, `ifNull(events.verbosity ${OP[e.op === '!=' ? '=' : e.op]} ${lit(e.value)}, 0)`);
      case 'ref': {
        const regex = e.op === '=~' || e.op === '!~';
        let where: string;
        if (e.ref === 'uid') where = regex ? `ifNull(match(uid, ${re(e.value)}), 0)` : `uid = ${lit(e.value)}`;
        else if (e.ref === 'node') where = `${this.kind('Node')} AND ${regex ? `ifNull(match(name, ${re(e.value)}), 0)` : `name = ${lit(e.value)}`}`;
        else if (regex) {
          where = `${this.kind('Pod')} AND ifNull(match(if(ifNull(namespace, '') = '', name, concat(namespace, '/', name)), ${re(e.value)}), 0)`;
        } else {
          const slash = e.value.indexOf('/');
          where =
            slash < 0
              ? `${this.kind('Pod')} AND name = ${lit(e.value)}`
              : `${this.kind('Pod')} AND namespace = ${lit(e.value.slice(0, slash))} AND name = ${lit(e.value.slice(slash + 1))}`;
        }
        return not(e.op, this.refs(where));
      }
      case 'object':
        return not(
          e.op,
          this.refs(`${this.kind(e.kind)}${e.namespace !== undefined ? ` AND namespace = ${lit(e.namespace)}` : ''} AND name = ${lit(e.name)}`),
        );
      case 'field':
        return this.field(e);
    }
    throw new Error(`unknown expression ${JSON.stringify(e)}`);
  }
}

/** Compiles a parsed query to a ClickHouse boolean expression over `events`. */
export function compileClickhouse(expr: Expr, opts: { correlated?: boolean; now?: number } = {}): string {
  return new ClickhouseBuilder({ correlated: opts.correlated === true, now: opts.now ?? Date.now() * 1000 }).build(expr);
}

/**
 * The ClickHouse WHERE clause for a filter the callers built for the store: compiled again from
 * its AST (compile-sql.ts keeps it beside the filter). A hand-written filter without parameters
 * is plain SQL both dialects read ("events.time > 0"); any other cannot be translated.
 */
export function whereOf(filter: SqlFilter | undefined): string {
  if (!filter) return '1';
  const source = filterSource(filter);
  if (source) return compileClickhouse(source.expr, source);
  if (filter.params.length === 0) return filter.where;
  throw new Error(`not supported on ClickHouse: a filter written as SQLite SQL (${filter.where.slice(0, 80)})`);
}
