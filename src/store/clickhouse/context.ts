/**
 * What every ClickHouse query module shares: the synchronous connection, and the scope every
 * read is limited to. A row is visible only when its ingest run has its `sources` rows (written
 * last, see copy.ts), and, for a store opened for one Kubernetes cluster, only that cluster's.
 */
import type { SyncClickhouse } from './bridge.js';
import { lit } from './escape.js';

export class ChContext {
  constructor(
    readonly ch: SyncClickhouse,
    /** The Kubernetes cluster this store is opened for; undefined: all of them. */
    readonly cluster: string | undefined,
  ) {}

  private clusterTest(column = 'cluster'): string {
    return this.cluster === undefined ? '1' : `${column} = ${lit(this.cluster)}`;
  }

  /** The rows of `alias` (or the unaliased table) that are visible in this scope. */
  scope(alias?: string): string {
    const a = alias ? `${alias}.` : '';
    return `(${this.clusterTest(`${a}cluster`)} AND ${a}run IN (SELECT run FROM sources WHERE ${this.clusterTest()}))`;
  }

  /** Sources are visible by their own existence: only the cluster is tested. */
  sourcesScope(): string {
    return this.clusterTest();
  }

  rows<T>(sql: string): T[] {
    return this.ch.rows<T>(sql);
  }

  value<T>(sql: string): T | undefined {
    return this.ch.value<T>(sql);
  }
}
