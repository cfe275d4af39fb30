/**
 * A user's SQL over the store (`ktrail sql`), which must never change it. Three guards, each
 * enough for what it covers: the connection is opened read-only (SQLite refuses every write to
 * the file), query_only is set (no INSERT, UPDATE, DELETE, DDL even on a writable in-memory
 * store), and PRAGMAs that act rather than report (journal_mode=DELETE, wal_checkpoint,
 * optimize...) are refused by name before they run, since query_only does not stop them.
 * Pragma table-valued functions (pragma_table_info(...) in a SELECT) need no check: SQLite only
 * offers them for pragmas without side effects.
 */
import type Database from 'better-sqlite3';
import { SqlRefusedError, type SqlResult } from './store.js';

/** Pragmas that report and change nothing, even given an argument (which names what to report on). */
const REPORTING_WITH_ARGUMENT = new Set([
  'table_info',
  'table_xinfo',
  'table_list',
  'index_info',
  'index_xinfo',
  'index_list',
  'foreign_key_list',
  'foreign_key_check',
  'integrity_check',
  'quick_check',
]);

/** Pragmas that act even without an argument. */
const ACTING_WITHOUT_ARGUMENT = new Set(['wal_checkpoint', 'optimize', 'incremental_vacuum', 'shrink_memory']);

/** The text without comments (enough to read a PRAGMA's name and whether it has an argument). */
function withoutComments(sql: string): string {
  return sql.replace(/\/\*[\s\S]*?(\*\/|$)/g, ' ').replace(/--[^\n]*/g, ' ');
}

/** Throws SqlRefusedError for a PRAGMA that could change the database or the connection. */
export function checkPragma(sql: string): void {
  const text = withoutComments(sql).trim();
  const m = /^pragma\s+(?:["`[]?\w+["`\]]?\s*\.\s*)?["`[]?(\w+)["`\]]?\s*(.*)$/is.exec(text);
  if (!m) {
    if (/^pragma\b/i.test(text)) throw new SqlRefusedError(`sql: cannot read this PRAGMA: ${text.slice(0, 60)}`);
    return;
  }
  const name = m[1]!.toLowerCase();
  const rest = m[2]!.replace(/;\s*$/, '').trim();
  if (rest === '' ? ACTING_WITHOUT_ARGUMENT.has(name) : !REPORTING_WITH_ARGUMENT.has(name)) {
    throw new SqlRefusedError(`sql: PRAGMA ${name}${rest ? ' with a value' : ''} is refused: ktrail sql never changes the store`);
  }
}

/**
 * Runs one statement that returns rows on `db`, which the caller opened read-only (or, for an
 * in-memory store that cannot be reopened, the store's own connection: query_only is set for
 * the statement and cleared after).
 */
export function runReadOnlySql(db: Database.Database, sql: string): SqlResult {
  checkPragma(sql);
  const was = db.pragma('query_only', { simple: true }) as number;
  db.pragma('query_only = ON');
  try {
    let stmt: Database.Statement;
    try {
      stmt = db.prepare(sql);
    } catch (err) {
      throw new SqlRefusedError(`sql: ${(err as Error).message}`);
    }
    if (!stmt.reader) throw new SqlRefusedError('sql: only statements that return rows (SELECT, WITH, PRAGMA) are allowed');
    let rows: Record<string, unknown>[];
    try {
      rows = stmt.all() as Record<string, unknown>[];
    } catch (err) {
      throw new SqlRefusedError(`sql: ${(err as Error).message}`);
    }
    return { columns: stmt.columns().map((c) => c.name), rows };
  } finally {
    if (!was && db.open) db.pragma('query_only = OFF');
  }
}
