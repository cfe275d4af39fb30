/**
 * The ClickHouse backend of KtrailStore (src/store/store.ts): the same questions as SqliteStore,
 * one module per area (events.ts, objects.ts, incidents.ts, sources.ts), over one synchronous
 * connection (bridge.ts). It is for reading: `ktrail ingest --db clickhouse://...` parses,
 * correlates and detects in a temporary SQLite store with the same engine as ever, then copies
 * the result here (copy.ts); so the correlator's area and the event writer are not offered.
 */
import type { CorrelationStore } from '../correlation.js';
import type { IncidentDetectionStore } from '../incident-detection.js';
import type { EventWriter, KtrailStore, SqlResult } from '../store.js';
import { SqlRefusedError } from '../store.js';
import { SyncClickhouse } from './bridge.js';
import { ChContext } from './context.js';
import { ChEvents } from './events.js';
import { CLUSTER_READ_SETTINGS, connectionOf, parseJsonRows } from './http.js';
import { ChIncidents } from './incidents.js';
import { ChObjects } from './objects.js';
import { ChSources } from './sources.js';
import { parseClickhouseUrl, type ClickhouseTarget } from './url.js';

export const NOT_ON_CLICKHOUSE = 'not supported on ClickHouse: ingest correlates (in a temporary SQLite store) before writing';

export class ClickhouseStore implements KtrailStore {
  readonly file: string;
  readonly events: ChEvents;
  readonly objects: ChObjects;
  readonly incidents: ChIncidents;
  readonly sources: ChSources;
  readonly target: ClickhouseTarget;
  /** The Kubernetes cluster every read is limited to; undefined: all of them. */
  readonly cluster: string | undefined;
  private readonly ch: SyncClickhouse;

  constructor(
    private readonly url: string,
    opts: { cluster?: string } = {},
  ) {
    this.cluster = opts.cluster;
    this.target = parseClickhouseUrl(url);
    this.file = this.target.redacted;
    this.ch = new SyncClickhouse(connectionOf(this.target));
    if (this.target.cluster && this.ch.setting('distributed_product_mode') !== CLUSTER_READ_SETTINGS.distributed_product_mode) {
      this.ch.settings = { ...CLUSTER_READ_SETTINGS };
    }
    const ctx = new ChContext(this.ch, opts.cluster);
    this.events = new ChEvents(ctx);
    this.objects = new ChObjects(ctx);
    this.incidents = new ChIncidents(ctx);
    this.sources = new ChSources(ctx);
  }

  inCluster(cluster: string | undefined): ClickhouseStore {
    return new ClickhouseStore(this.url, { cluster });
  }

  get correlation(): CorrelationStore {
    throw new Error(NOT_ON_CLICKHOUSE);
  }

  /** Incidents are detected in the temporary SQLite store before the copy, as links are. */
  get detection(): IncidentDetectionStore {
    throw new Error(NOT_ON_CLICKHOUSE);
  }

  writer(): EventWriter {
    throw new Error(`${NOT_ON_CLICKHOUSE}; use ktrail ingest PATH --db ${this.file}`);
  }

  /** Fails with a clear message when the server is down or holds no ktrail tables. */
  check(): void {
    const found = this.ch.value<number>(
      `SELECT count() FROM system.tables WHERE database = currentDatabase() AND name IN ('events', 'sources', 'incidents')`,
    );
    if (found !== 3) throw new Error(`${this.file}: no ktrail tables there (create them with: ktrail ingest PATH... --db URL)`);
  }

  /**
   * A user's SQL under ClickHouse's readonly=1: the server itself refuses every write, DDL and
   * settings change, whatever the text says. (A user whose profile is readonly already may not
   * even set it again: then nothing is sent.)
   */
  readOnlySql(sql: string): SqlResult {
    let text: string;
    try {
      text = this.ch.text(sql, 'JSON', this.ch.setting('readonly') === '1' ? {} : { readonly: 1 });
    } catch (err) {
      throw new SqlRefusedError(`sql: ${(err as Error).message}`);
    }
    const { meta } = JSON.parse(text) as { meta: { name: string }[] };
    return { columns: meta.map((m) => m.name), rows: parseJsonRows<Record<string, unknown>>(text) };
  }

  close(): void {
    // The bridge's worker is shared by the process and does not keep it alive.
  }
}
