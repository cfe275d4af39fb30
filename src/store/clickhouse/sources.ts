/**
 * The ClickHouse backend's source queries (SourceQueries in store.ts). A source row is written
 * only once its whole ingest run is stored (copy.ts), so every listed source is complete, and an
 * interrupted ingest has no row to list: its partial rows are invisible, not incomplete.
 */
import type { SourceQueries, SourceRow } from '../store.js';
import type { ChContext } from './context.js';
import { lit } from './escape.js';

/** A sources row as ClickHouse holds it: every one complete, no NULL fingerprint or stats. */
type Row = Omit<SourceRow, 'complete' | 'stats' | 'ingestedAt' | 'fingerprint'> & { fingerprint: string; stats: string; ingested_at: number };

function toRow({ stats, ingested_at, fingerprint, ...r }: Row): SourceRow {
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(stats);
  } catch {
    // informative only
  }
  return { ...r, fingerprint: fingerprint === '' ? null : fingerprint, complete: true, stats: parsed, ingestedAt: ingested_at };
}

const SELECT = 'SELECT id, path, display, cluster, size, mtime, fingerprint, envelope, stats, ingested_at FROM sources';

export class ChSources implements SourceQueries {
  constructor(private readonly ctx: ChContext) {}

  list(): SourceRow[] {
    return this.ctx.rows<Row>(`${SELECT} WHERE ${this.ctx.sourcesScope()} ORDER BY id`).map(toRow);
  }

  incomplete(): SourceRow[] {
    return [];
  }

  /** Correlation runs in the temporary SQLite store before the copy: what is copied is correlated. */
  correlationPending(): boolean {
    return false;
  }

  clusters(): string[] {
    return this.ctx.rows<{ cluster: string }>(`SELECT DISTINCT cluster FROM sources WHERE ${this.ctx.sourcesScope()} ORDER BY cluster`).map((r) => r.cluster);
  }

  idOf(display: string, path: string): number | undefined {
    return this.ctx.rows<{ id: number }>(
      `SELECT id FROM sources WHERE ${this.ctx.sourcesScope()} AND (display = ${lit(display)} OR path = ${lit(path)}) ORDER BY id DESC LIMIT 1`,
    )[0]?.id;
  }
}
