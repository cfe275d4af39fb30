/**
 * The AST to a parameterized SQL WHERE clause over the store (src/store/schema.ts). User text
 * only ever travels in `params`: the SQL text is built from fixed fragments. Regexes run through
 * the registered `regexp` function (the REGEXP operator), numbers and durations inside field
 * values through `ktrail_number` / `ktrail_duration`: the same JavaScript the predicate uses
 * (values.ts), so store and stream agree.
 *
 * The clause refers to columns as `events.<column>`: use it in `SELECT ... FROM events WHERE ...`
 * without an alias. Every fragment is two-valued (0 or 1, never NULL), so that NOT is exact.
 *
 * Object filters (pod, node, uid, object) read event_refs, the references as the parsers found
 * them, so they work on a store that has not been correlated yet. With `correlated: true` they
 * also follow event_objects (links the correlator made, e.g. an event that names only a
 * container id); the predicate cannot do that, so that option is for store queries only.
 */
import type Database from 'better-sqlite3';
import { COMPONENTS } from '../model/event.js';
import type { Expr, TimeValue } from './ast.js';
import {
  compileRegex,
  fieldPath,
  jsonFieldDuration,
  jsonFieldNumber,
  severitiesMatching,
  severityRankOf,
} from './values.js';

export interface SqlFilter {
  /** A boolean SQL expression over `events` with `?` placeholders. */
  where: string;
  params: unknown[];
}

export interface CompileOptions {
  /** Epoch microseconds that `since 15m` counts back from; defaults to the current time. */
  now?: number;
}

export interface SqlCompileOptions extends CompileOptions {
  /** Object filters also follow event_objects (the correlator's links). */
  correlated?: boolean;
}

/** Registers the functions compiled queries call. openStore does it on every connection. */
export function registerQueryFunctions(db: Database.Database): void {
  db.function('regexp', { deterministic: true }, (pattern: unknown, value: unknown) => {
    if (value === null || value === undefined || typeof pattern !== 'string') return 0;
    return compileRegex(pattern).test(String(value)) ? 1 : 0;
  });
  db.function('ktrail_number', { deterministic: true }, (json: unknown) => jsonFieldNumber(json));
  db.function('ktrail_duration', { deterministic: true }, (json: unknown) => jsonFieldDuration(json));
}

export function resolveTime(value: TimeValue, now: number): number {
  return 'at' in value ? value.at : now - value.ago;
}

const SQL_OP: Record<string, string> = { '=': '=', '!=': '<>', '>': '>', '>=': '>=', '<': '<', '<=': '<=' };

class SqlBuilder {
  readonly params: unknown[] = [];
  constructor(private readonly opts: SqlCompileOptions & { now: number }) {}

  p(value: unknown): string {
    this.params.push(value);
    return '?';
  }

  /** `positive` for = and =~, its negation for != and !~ (never NULL, see the header). */
  private negatable(op: string, positive: string): string {
    return op === '!=' || op === '!~' ? `NOT (${positive})` : positive;
  }

  /** A nullable text column against a text op. */
  private text(column: string, nullable: boolean, op: string, value: string): string {
    const test = op === '=~' || op === '!~' ? `${column} REGEXP ${this.p(value)}` : `${column} = ${this.p(value)}`;
    return this.negatable(op, nullable ? `(${column} IS NOT NULL AND ${test})` : test);
  }

  /** event ids whose references satisfy `where` (over columns kind, namespace, name, uid). */
  private refs(where: (t: string) => string): string {
    const direct = `events.id IN (SELECT r.event_id FROM event_refs r WHERE ${where('r')})`;
    if (!this.opts.correlated) return direct;
    const linked =
      `events.id IN (SELECT eo.event_id FROM event_objects eo JOIN objects o ON o.id = eo.object_id ` +
      `WHERE ${where('o')})`;
    return `(${direct} OR ${linked})`;
  }

  private kind(t: string, kind: string): string {
    return `${t}.kind = ${this.p(kind)} COLLATE NOCASE`;
  }

  build(e: Expr): string {
    switch (e.type) {
      case 'and':
        return e.items.length === 0 ? '1' : `(${e.items.map((i) => this.build(i)).join(' AND ')})`;
      case 'or':
        return e.items.length === 0 ? '0' : `(${e.items.map((i) => this.build(i)).join(' OR ')})`;
      case 'not':
        return `NOT (${this.build(e.expr)})`;
      case 'line': {
        const positive =
          e.op === '|=' || e.op === '!='
            ? `(instr(events.message, ${this.p(e.value)}) > 0 OR instr(events.raw, ${this.p(e.value)}) > 0)`
            : `(events.message REGEXP ${this.p(e.value)} OR events.raw REGEXP ${this.p(e.value)})`;
        return e.op === '!=' || e.op === '!~' ? `NOT (${positive})` : positive;
      }
      case 'label':
        switch (e.name) {
          case 'component':
            if (e.op === '=~' || e.op === '!~') {
              // Components are a fixed set: match the names now and keep the index usable.
              const re = compileRegex(e.value);
              const names = COMPONENTS.filter((c) => re.test(c));
              const list = names.length === 0 ? '0' : `events.component IN (${names.map((n) => this.p(n)).join(', ')})`;
              return this.negatable(e.op, list);
            }
            return this.text('events.component', false, e.op, e.value);
          case 'host':
            return this.text('events.host', true, e.op, e.value);
          case 'caller':
            return this.text('events.caller', true, e.op, e.value);
          case 'cluster':
            return this.text('events.cluster', false, e.op, e.value);
          case 'format':
            return this.text('events.format', false, e.op, e.value);
          case 'message':
            return this.text('events.message', false, e.op, e.value);
          case 'file': {
            const test = e.op === '=~' || e.op === '!~' ? `s.display REGEXP ${this.p(e.value)}` : `s.display = ${this.p(e.value)}`;
            return this.negatable(e.op, `events.source_id IN (SELECT s.id FROM sources s WHERE ${test})`);
          }
        }
        break;
      case 'severity': {
        if ('pattern' in e) {
          const ranks = severitiesMatching(e.pattern);
          const list = ranks.length === 0 ? '0' : `events.severity IN (${ranks.map((r) => this.p(r)).join(', ')})`;
          return this.negatable(e.op, list);
        }
        return `events.severity ${SQL_OP[e.op]} ${this.p(severityRankOf(e.value))}`;
      }
      case 'time':
        return `events.time ${SQL_OP[e.op]} ${this.p(resolveTime(e.value, this.opts.now))}`;
      case 'verbosity':
        // Like fields: an event without verbosity fails = and the orderings, and passes !=.
        return this.negatable(
          e.op,
          `(events.verbosity IS NOT NULL AND events.verbosity ${SQL_OP[e.op === '!=' ? '=' : e.op]} ${this.p(e.value)})`,
        );
      case 'ref': {
        const regex = e.op === '=~' || e.op === '!~';
        let positive: string;
        if (e.ref === 'uid') {
          positive = this.refs((t) =>
            regex ? `${t}.uid IS NOT NULL AND ${t}.uid REGEXP ${this.p(e.value)}` : `${t}.uid = ${this.p(e.value)}`,
          );
        } else if (e.ref === 'node') {
          positive = this.refs(
            (t) => `${this.kind(t, 'Node')} AND ${t}.name ${regex ? 'REGEXP' : '='} ${this.p(e.value)}`,
          );
        } else if (regex) {
          positive = this.refs(
            (t) =>
              `${this.kind(t, 'Pod')} AND ${t}.name IS NOT NULL AND ` +
              `(CASE WHEN ${t}.namespace IS NULL OR ${t}.namespace = '' THEN ${t}.name ` +
              `ELSE ${t}.namespace || '/' || ${t}.name END) REGEXP ${this.p(e.value)}`,
          );
        } else {
          const slash = e.value.indexOf('/');
          positive =
            slash < 0
              ? this.refs((t) => `${this.kind(t, 'Pod')} AND ${t}.name = ${this.p(e.value)}`)
              : this.refs(
                  (t) =>
                    `${this.kind(t, 'Pod')} AND ${t}.namespace = ${this.p(e.value.slice(0, slash))} ` +
                    `AND ${t}.name = ${this.p(e.value.slice(slash + 1))}`,
                );
        }
        return this.negatable(e.op, positive);
      }
      case 'object': {
        const positive = this.refs(
          (t) =>
            `${this.kind(t, e.kind)}` +
            (e.namespace !== undefined ? ` AND ${t}.namespace = ${this.p(e.namespace)}` : '') +
            ` AND ${t}.name = ${this.p(e.name)}`,
        );
        return this.negatable(e.op, positive);
      }
      case 'field': {
        const path = fieldPath(e.name);
        const v = e.value;
        if (e.op === '=' || e.op === '!=' || e.op === '=~' || e.op === '!~') {
          if (v.type === 'string') {
            // Strings compare as themselves, other JSON values as their JSON text, null as absent.
            const text =
              `(CASE json_type(events.fields, ${this.p(path)}) WHEN 'text' THEN events.fields ->> ${this.p(path)} ` +
              `WHEN 'null' THEN NULL ELSE events.fields -> ${this.p(path)} END)`;
            const test = e.op === '=~' || e.op === '!~' ? `${text} REGEXP ${this.p(v.value)}` : `${text} = ${this.p(v.value)}`;
            return this.negatable(e.op, `coalesce(${test}, 0)`);
          }
        }
        const reader = v.type === 'duration' ? 'ktrail_duration' : 'ktrail_number';
        const operand = v.type === 'duration' ? v.micros : v.type === 'number' ? v.value : Number.NaN;
        const op = e.op === '!=' ? '=' : e.op;
        const test = `coalesce(${reader}(events.fields -> ${this.p(path)}) ${SQL_OP[op]} ${this.p(operand)}, 0)`;
        return e.op === '!=' ? `NOT (${test})` : test;
      }
    }
    throw new Error(`unknown expression ${JSON.stringify(e)}`);
  }
}

/** What a filter was compiled from: another backend (ClickHouse) compiles the same AST its own way. */
export interface FilterSource {
  expr: Expr;
  correlated: boolean;
  now: number;
}

// Beside the filter rather than in it, so that a filter stays the plain { where, params } pair.
const sources = new WeakMap<SqlFilter, FilterSource>();

/** The AST and options a filter came from (undefined for a filter written by hand). */
export function filterSource(filter: SqlFilter): FilterSource | undefined {
  return sources.get(filter);
}

/** Compiles a parsed query to a WHERE clause and its parameters. */
export function compileSql(expr: Expr, opts: SqlCompileOptions = {}): SqlFilter {
  const now = opts.now ?? Date.now() * 1000;
  const b = new SqlBuilder({ ...opts, now });
  const filter = { where: b.build(expr), params: b.params };
  sources.set(filter, { expr, correlated: opts.correlated === true, now });
  return filter;
}
