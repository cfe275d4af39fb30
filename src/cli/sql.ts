/**
 * `ktrail sql "SELECT ..." [PATH...] [--db FILE] [-o json]`: any read-only SQL over the store,
 * for what the other commands do not answer. The connection is read-only (query_only), so a
 * statement that writes fails instead of changing the store.
 */
import { neutralize } from '../util/sanitize.js';
import type { Diagnostics } from './diagnostics.js';
import { openStoreFor, type StoreFlags } from './open-store.js';
import { UsageError } from './usage-error.js';

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (Buffer.isBuffer(v)) return `<${v.length} bytes>`;
  return neutralize(String(v));
}

export async function runSql(sql: string, paths: string[], flags: StoreFlags & { output?: string }, diag: Diagnostics): Promise<number> {
  const { store } = await openStoreFor(paths, flags, diag);
  try {
    store.db.pragma('query_only = ON');
    let stmt;
    try {
      stmt = store.db.prepare(sql);
    } catch (err) {
      throw new UsageError(`sql: ${(err as Error).message}`);
    }
    if (!stmt.reader) throw new UsageError('sql: only statements that return rows (SELECT, WITH, PRAGMA) are allowed');
    let rows: Record<string, unknown>[];
    try {
      rows = stmt.all() as Record<string, unknown>[];
    } catch (err) {
      throw new UsageError(`sql: ${(err as Error).message}`);
    }
    if (flags.output === 'json') {
      process.stdout.write(rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : ''));
    } else {
      const cols = stmt.columns().map((c) => c.name);
      const lines = [cols.join('\t'), ...rows.map((r) => cols.map((c) => cell(r[c])).join('\t'))];
      process.stdout.write(lines.join('\n') + '\n');
    }
    return diag.count > 0 ? 1 : 0;
  } finally {
    store.close();
  }
}
