/**
 * Prepared statements cached by their text, for the query modules of the SQLite backend: filters
 * and pages repeat as a user scrolls, and preparing is a parse and a plan each time.
 */
import type Database from 'better-sqlite3';

/** Beyond this many distinct texts (filters typed one after another) the cache starts over. */
const MAX_STATEMENTS = 200;

export class StatementCache {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {}

  get(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      if (this.statements.size >= MAX_STATEMENTS) this.statements.clear();
      this.statements.set(sql, s);
    }
    return s;
  }
}
