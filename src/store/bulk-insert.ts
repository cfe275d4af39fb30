/**
 * Many rows into one table through multi-row prepared INSERTs: one statement call writes up to
 * ROWS_PER_STATEMENT rows, so the cost of crossing into SQLite and running a statement is paid per
 * hundred rows instead of per row (measured in `npm run bench -- store`).
 *
 * A table is described by a column list: each column's name and how a row gives its value. The
 * SQL text is made from that list, so adding a column to a table is one line in its list.
 *
 * The caller owns the transaction: add() rows, then flush() before it commits (flush writes the
 * rows that did not fill a whole statement).
 */
import type Database from 'better-sqlite3';

/** A column of an INSERT: its name and how to read its value from a row. */
export type Column<R> = readonly [name: string, value: (row: R) => unknown];

/** Rows per statement: past about a hundred the gain is flat and the statement text grows. */
export const ROWS_PER_STATEMENT = 100;

/** SQLite's limit on a statement's parameters (SQLITE_MAX_VARIABLE_NUMBER since 3.32). */
const MAX_PARAMETERS = 32_766;

export interface BulkInsertOptions {
  /** The verb: 'INSERT' (default) or 'INSERT OR IGNORE'. */
  verb?: 'INSERT' | 'INSERT OR IGNORE';
  rowsPerStatement?: number;
}

/** Writes one row's values into a statement's parameters, from position `at`. */
type Fill<R> = (row: R, params: unknown[], at: number) => void;

/**
 * The row's values into the parameters in straight-line code, one call site per column: made
 * once per table from its column list. A loop over the columns calls every column's function
 * from one site, which V8 cannot inline (19 columns, 1M events at scale 20); here each site
 * sees one function only. The code's text holds nothing but parameter names and positions.
 */
function fillFor<R>(columns: readonly Column<R>[]): Fill<R> {
  const names = columns.map((_, c) => `v${c}`);
  const body = columns.map((_, c) => `p[a + ${c}] = v${c}(r);`).join('\n');
  const make = new Function(...names, `return function fill(r, p, a) {\n${body}\n};`) as (...v: ((row: R) => unknown)[]) => Fill<R>;
  return make(...columns.map(([, value]) => value));
}

export class BulkInsert<R> {
  private readonly full: Database.Statement;
  private readonly one: Database.Statement;
  private readonly rows: number;
  private readonly width: number;
  private readonly fill: Fill<R>;
  /** A full statement's parameters, filled in place and reused: no array per statement. */
  private readonly params: unknown[];
  private queued = 0;

  constructor(db: Database.Database, table: string, columns: readonly Column<R>[], opts: BulkInsertOptions = {}) {
    const width = columns.length;
    this.rows = Math.max(1, Math.min(opts.rowsPerStatement ?? ROWS_PER_STATEMENT, Math.floor(MAX_PARAMETERS / width)));
    this.width = width;
    this.fill = fillFor(columns);
    this.params = new Array<unknown>(this.rows * width).fill(null);
    const head = `${opts.verb ?? 'INSERT'} INTO ${table} (${columns.map(([name]) => name).join(', ')}) VALUES `;
    const tuple = `(${columns.map(() => '?').join(', ')})`;
    this.one = db.prepare(head + tuple);
    this.full = db.prepare(head + Array.from({ length: this.rows }, () => tuple).join(', '));
  }

  /** Queues a row; writes a full statement's worth as soon as it is queued. */
  add(row: R): void {
    this.fill(row, this.params, this.queued * this.width);
    if (++this.queued === this.rows) {
      this.full.run(this.params);
      this.queued = 0;
    }
  }

  /** Writes the queued rows that did not fill a statement. */
  flush(): void {
    const width = this.width;
    for (let i = 0; i < this.queued; i++) this.one.run(this.params.slice(i * width, (i + 1) * width));
    this.queued = 0;
  }
}
