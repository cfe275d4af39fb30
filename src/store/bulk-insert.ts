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

export class BulkInsert<R> {
  private readonly full: Database.Statement;
  private readonly one: Database.Statement;
  private readonly rows: number;
  private readonly value: readonly ((row: R) => unknown)[];
  /** A full statement's parameters, filled in place and reused: no array per statement. */
  private readonly params: unknown[];
  private queued = 0;

  constructor(db: Database.Database, table: string, columns: readonly Column<R>[], opts: BulkInsertOptions = {}) {
    const width = columns.length;
    this.rows = Math.max(1, Math.min(opts.rowsPerStatement ?? ROWS_PER_STATEMENT, Math.floor(MAX_PARAMETERS / width)));
    this.value = columns.map(([, value]) => value);
    this.params = new Array<unknown>(this.rows * width).fill(null);
    const head = `${opts.verb ?? 'INSERT'} INTO ${table} (${columns.map(([name]) => name).join(', ')}) VALUES `;
    const tuple = `(${columns.map(() => '?').join(', ')})`;
    this.one = db.prepare(head + tuple);
    this.full = db.prepare(head + Array.from({ length: this.rows }, () => tuple).join(', '));
  }

  /** Queues a row; writes a full statement's worth as soon as it is queued. */
  add(row: R): void {
    const { params, value } = this;
    let at = this.queued * value.length;
    for (let c = 0; c < value.length; c++) params[at++] = value[c]!(row);
    if (++this.queued === this.rows) {
      this.full.run(params);
      this.queued = 0;
    }
  }

  /** Writes the queued rows that did not fill a statement. */
  flush(): void {
    const width = this.value.length;
    for (let i = 0; i < this.queued; i++) this.one.run(this.params.slice(i * width, (i + 1) * width));
    this.queued = 0;
  }
}
