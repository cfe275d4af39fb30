/**
 * Removing what failed or killed ingests left behind. A run becomes visible only with its
 * `sources` rows, written last (copy.ts), so the rows of a run that never got them are invisible
 * but take space. The next ingest, holding the ingest lock (ingest-lock.ts: no other run is being
 * written), deletes every row of such runs, on every shard.
 *
 * ALTER TABLE ... DELETE is a mutation (18.16 has them for MergeTree tables): the server rewrites
 * the affected parts in the background, so the rows go a little after the statement returns.
 * Until they are gone they still count for the next run's largest ids and run number (copy.ts),
 * so nothing reuses them meanwhile. The run numbers are computed here and sent as a literal list
 * (no subquery in the mutation: 18.16's mutations do not take one reliably).
 */
import { ident, litList } from './escape.js';
import { ClickhouseHttp, type Connection } from './http.js';
import { localName, TABLES } from './schema.js';
import type { ClickhouseTarget } from './url.js';
import { appendAll } from '../../util/append.js';

export interface OrphanSummary {
  /** Runs whose rows were deleted, over all shards. */
  runs: number[];
}

export async function deleteOrphanRuns(target: ClickhouseTarget, shards: readonly Connection[]): Promise<OrphanSummary> {
  const t = (name: string): string => `${ident(target.database)}.${ident(localName(name, target.cluster))}`;
  const data = TABLES.filter((x) => x.name !== 'sources');
  const runs: number[] = [];
  // Each shard on its own: a run, its rows and its sources rows all live on one shard.
  for (const conn of shards) {
    const http = new ClickhouseHttp(conn);
    try {
      const rows = await http.rows<{ run: number }>(
        `SELECT DISTINCT run FROM (${data.map((x) => `SELECT DISTINCT run FROM ${t(x.name)}`).join(' UNION ALL ')})
         WHERE run NOT IN (SELECT run FROM ${t('sources')})`,
      );
      // 18.16 answers DISTINCT over a UNION ALL with one row per branch: made distinct here.
      const found = [...new Set(rows.map((r) => Number(r.run)))].sort((a, b) => a - b);
      if (found.length === 0) continue;
      for (const x of data) await http.command(`ALTER TABLE ${t(x.name)} DELETE WHERE run IN ${litList(found)}`);
      appendAll(runs, found);
    } finally {
      await http.close();
    }
  }
  return { runs };
}
