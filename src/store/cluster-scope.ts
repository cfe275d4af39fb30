/**
 * The one place the SQLite backend builds its cluster condition. A store opened for one cluster
 * (OpenStoreOptions.cluster, KtrailStore.inCluster) answers every read from that cluster's rows
 * only; opened without one it sees every cluster. Each query module puts `scope.on(alias)` in
 * its WHERE clause and passes `scope.params` among its bound values: the condition is a named
 * parameter (@cluster), so it binds in any position beside a statement's `?` values, and binding
 * it where a statement has no @cluster (the store sees every cluster) is harmless.
 */
import type Database from 'better-sqlite3';
import type { SqlFilter } from '../query/compile-sql.js';

export class ClusterScope {
  /** Every cluster: the condition is always true and binds nothing. */
  static readonly ALL = new ClusterScope(undefined);

  /** The named parameter to bind with every statement that uses on() (empty for ALL). */
  readonly params: Readonly<Record<string, string>>;

  constructor(
    /** The cluster every read is limited to; undefined for all of them. */
    readonly cluster: string | undefined,
  ) {
    this.params = cluster === undefined ? {} : { cluster };
  }

  /**
   * A SQL condition limiting the rows of table (or alias) `table` to the cluster ('1' for all).
   * Reads that another condition narrows better (a component, an id range) use it too: the
   * statistics a bulk ingest writes (schema.ts writeStatistics) tell SQLite that a cluster
   * selects most rows, so it takes the other condition's index (cluster-scope.test.ts checks
   * the plans).
   */
  on(table: string): string {
    return this.cluster === undefined ? '1' : `${table}.cluster = @cluster`;
  }

  /**
   * A condition limiting rows that name an event by id (`column`, e.g. event_signals.event_id)
   * to the cluster's events: one primary-key look-up per row, and nothing for every cluster.
   */
  onEventId(column: string): string {
    return this.cluster === undefined ? '1' : `EXISTS (SELECT 1 FROM events sc WHERE sc.id = ${column} AND sc.cluster = @cluster)`;
  }

  /** A compiled events filter (over `events`), also limited to the cluster. */
  filter(filter: SqlFilter | undefined): SqlFilter {
    const f = filter ?? { where: '1', params: [] };
    if (this.cluster === undefined) return f;
    return { where: `(${f.where}) AND ${this.on('events')}`, params: [...f.params, this.params] };
  }
}

/**
 * The clusters that have events, in name order: one seek per cluster in the (cluster, time)
 * index (a plain DISTINCT would read every entry of it).
 */
export function clustersWithEvents(db: Database.Database): string[] {
  return db
    .prepare(
      `WITH RECURSIVE c(name) AS (
         SELECT min(cluster) FROM events
         UNION ALL SELECT (SELECT min(cluster) FROM events WHERE cluster > c.name) FROM c WHERE c.name IS NOT NULL)
       SELECT name FROM c WHERE name IS NOT NULL`,
    )
    .pluck()
    .all() as string[];
}
