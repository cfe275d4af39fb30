/** The SQLite backend's source queries (SourceQueries in store.ts): what was ingested, and whether completely. */
import type Database from 'better-sqlite3';
import { ClusterScope } from './cluster-scope.js';
import { correlationPending } from './schema.js';
import { StatementCache } from './statements.js';
import type { SourceQueries, SourceRow } from './store.js';

type SourceDbRow = Omit<SourceRow, 'complete' | 'stats' | 'ingestedAt'> & { complete: number; stats: string | null; ingested_at: number | null };

const SELECT = 'SELECT id, path, display, cluster, size, mtime, fingerprint, envelope, complete, stats, ingested_at FROM sources';

function toRow({ complete, stats, ingested_at, ...r }: SourceDbRow): SourceRow {
  let parsed: unknown;
  try {
    parsed = stats === null ? null : JSON.parse(stats);
  } catch {
    parsed = null; // stats are informative: a damaged value must not hide the source
  }
  return { ...r, complete: complete === 1, stats: parsed, ingestedAt: ingested_at };
}

export class SqliteSources implements SourceQueries {
  private readonly cache: StatementCache;

  /** `scope`: the cluster the sources are listed of (cluster-scope.ts). */
  constructor(
    private readonly db: Database.Database,
    private readonly scope: ClusterScope = ClusterScope.ALL,
  ) {
    this.cache = new StatementCache(db);
  }

  list(): SourceRow[] {
    return (this.cache.get(`${SELECT} WHERE ${this.scope.on('sources')} ORDER BY id`).all(this.scope.params) as SourceDbRow[]).map(toRow);
  }

  incomplete(): SourceRow[] {
    const sql = `${SELECT} WHERE complete = 0 AND ${this.scope.on('sources')} ORDER BY id`;
    return (this.cache.get(sql).all(this.scope.params) as SourceDbRow[]).map(toRow);
  }

  /** Of the whole store: correlation runs over every cluster at once. */
  correlationPending(): boolean {
    return correlationPending(this.db);
  }

  idOf(display: string, path: string): number | undefined {
    const row = this.cache
      .get(`SELECT id FROM sources WHERE (display = ? OR path = ?) AND ${this.scope.on('sources')} ORDER BY complete DESC, id DESC LIMIT 1`)
      .get(display, path, this.scope.params) as { id: number } | undefined;
    return row?.id;
  }

  clusters(): string[] {
    const sql = `SELECT DISTINCT cluster FROM sources WHERE ${this.scope.on('sources')} ORDER BY cluster`;
    return this.cache.get(sql).pluck().all(this.scope.params) as string[];
  }
}
