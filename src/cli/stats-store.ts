/**
 * `ktrail stats --db STORE` (a SQLite file or a ClickHouse URL, also from KTRAIL_DB): the
 * accounting of what a store holds, read from the store alone (the inputs may be long gone, and a
 * fleet's store is not on the reading machine). Per source: the line accounting its ingest
 * recorded (the same columns as `ktrail stats PATH`). Per cluster: its sources, and its events,
 * objects and incidents as the store counts them now. The clock skew needs the events' causal
 * pairs read in order, so it stays with `ktrail stats PATH`.
 */
import { balanced, newSourceStats, totals, type SourceStats, type StatsTotals } from '../ingest/stats.js';
import type { KtrailStore, SourceRow } from '../store/store.js';
import { neutralize } from '../util/sanitize.js';
import type { Diagnostics } from './diagnostics.js';
import { openStoreFor } from './open-store.js';
import { formatSourcesTable } from './stats-table.js';

export interface StoreClusterCounts {
  cluster: string;
  sources: number;
  events: number;
  objects: number;
  incidents: number;
}

export interface StoreStatsReport {
  /** The store as named in messages (a ClickHouse URL with its password hidden). */
  store: string;
  /** Each stored source's recorded accounting, with its cluster; `complete: false` for an interrupted ingest. */
  sources: (SourceStats & { cluster: string; complete: boolean })[];
  /** Per cluster, counted by the store. */
  clusters: StoreClusterCounts[];
  totals: StatsTotals & { balanced: boolean };
}

const count = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/**
 * A source's stored stats, read leniently: a row of an interrupted ingest has none, and a store
 * written by another ktrail version may lack a member; missing counts are 0.
 */
function storedStats(row: SourceRow): SourceStats {
  const base = newSourceStats(row.display);
  const s = row.stats !== null && typeof row.stats === 'object' ? (row.stats as Partial<SourceStats>) : {};
  const record = (v: unknown): Record<string, number> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, number>) : {});
  return {
    ...base,
    envelope: typeof s.envelope === 'string' ? s.envelope : (row.envelope ?? base.envelope),
    formats: record(s.formats),
    components: record(s.components),
    linesRead: count(s.linesRead),
    events: count(s.events),
    folded: count(s.folded),
    unrecognized: count(s.unrecognized),
    setAside: count(s.setAside),
    ...(s.sharedLineEvents ? { sharedLineEvents: count(s.sharedLineEvents) } : {}),
    truncatedLines: count(s.truncatedLines),
    nulLines: count(s.nulLines),
    ...(s.clockShiftUs ? { clockShiftUs: s.clockShiftUs } : {}),
    errors: Array.isArray(s.errors) ? s.errors.filter((e): e is string => typeof e === 'string') : [],
  };
}

export function collectStoreStats(store: KtrailStore): StoreStatsReport {
  const sources = store.sources
    .list()
    .map((row) => ({ ...storedStats(row), cluster: row.cluster, complete: row.complete }))
    .sort((a, b) => a.cluster.localeCompare(b.cluster) || a.file.localeCompare(b.file));
  // A store opened for one cluster lists only that one; each count is the store's own, per cluster.
  const clusters = store.sources.clusters().map((cluster): StoreClusterCounts => {
    const scoped = store.cluster === cluster ? store : store.inCluster(cluster);
    return {
      cluster,
      sources: sources.filter((s) => s.cluster === cluster).length,
      events: scoped.events.count(),
      objects: scoped.objects.count(),
      incidents: scoped.incidents.count(),
    };
  });
  return { store: store.file, sources, clusters, totals: { ...totals(sources), balanced: sources.every(balanced) } };
}

export function formatStoreStats(report: StoreStatsReport): string {
  const clusters = report.clusters.map(
    (c) => `cluster ${neutralize(c.cluster || "'' (no name)")}: ${c.sources} sources, ${c.events} events, ${c.objects} objects, ${c.incidents} incidents`,
  );
  const incomplete = report.sources.filter((s) => !s.complete).length;
  const notes = incomplete ? [`${incomplete} source(s) incomplete: an ingest was interrupted (run it again to complete them)`] : [];
  return `${neutralize(report.store)}\n\n${formatSourcesTable(report.sources, report.totals)}\n\n${[...clusters, ...notes].join('\n')}\n`;
}

export async function runStoreStats(flags: { db: string; json?: boolean; cluster?: string }, diag: Diagnostics): Promise<number> {
  // Accounting reports an interrupted ingest rather than refusing the store for it.
  const { store } = await openStoreFor([], { db: flags.db, cluster: flags.cluster }, diag, { requireComplete: false, readOnly: true });
  try {
    const report = collectStoreStats(store);
    process.stdout.write(flags.json ? JSON.stringify(report, null, 2) + '\n' : formatStoreStats(report));
    return diag.count > 0 ? 1 : 0;
  } finally {
    store.close();
  }
}
