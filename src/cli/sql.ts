/**
 * `ktrail sql "SELECT ..." [PATH...] [--db FILE] [-o json]`: any read-only SQL over the store,
 * for what the other commands do not answer. It never writes: with --db alone the file is opened
 * read-only, and the statement itself always runs on a read-only connection, with PRAGMAs that
 * act refused (src/store/read-only-sql.ts).
 */
import { SqlRefusedError, type SqlResult } from '../store/store.js';
import { neutralize } from '../util/sanitize.js';
import type { Diagnostics } from './diagnostics.js';
import { assertComplete, openStoreFor, type StoreFlags } from './open-store.js';
import { UsageError } from './usage-error.js';

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (Buffer.isBuffer(v)) return `<${v.length} bytes>`;
  return neutralize(String(v));
}

export async function runSql(sql: string, paths: string[], flags: StoreFlags & { output?: string }, diag: Diagnostics): Promise<number> {
  // SQL is for looking into any store, an interrupted one too: it is named, not refused.
  const { store } = await openStoreFor(paths, flags, diag, { requireComplete: false, readOnly: true });
  try {
    try {
      assertComplete(store);
    } catch (err) {
      diag.warn(store.file, (err as Error).message.replace(`${store.file}: `, ''));
    }
    let result: SqlResult;
    try {
      result = store.readOnlySql(sql);
    } catch (err) {
      if (err instanceof SqlRefusedError) throw new UsageError(err.message);
      throw err;
    }
    if (flags.output === 'json') {
      process.stdout.write(result.rows.map((r) => JSON.stringify(r)).join('\n') + (result.rows.length ? '\n' : ''));
    } else {
      const lines = [result.columns.join('\t'), ...result.rows.map((r) => result.columns.map((c) => cell(r[c])).join('\t'))];
      process.stdout.write(lines.join('\n') + '\n');
    }
    return diag.count > 0 ? 1 : 0;
  } finally {
    store.close();
  }
}
