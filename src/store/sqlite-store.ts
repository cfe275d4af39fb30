/**
 * The SQLite backend of KtrailStore (store.ts): one better-sqlite3 connection, with one query
 * module per area (reader.ts events, objects.ts, incidents.ts, sources.ts, correlation.ts; a new
 * area is a new module and one member here). Open it with openStore (connection.ts), which
 * migrates the schema and takes the write lock.
 *
 * `db` is for the store's own modules and the schema tests; commands, views, reports, the
 * correlator and incident detection use the interface only.
 *
 * The areas a reader does not use (incidents, correlation, detection with the signal modules,
 * the writer, `ktrail sql`) are loaded on first use, through require() (synchronous for ES
 * modules on Node 20.19+, which package.json asks for), not at import: `ktrail trace --db F`
 * loaded and compiled all of them at start-up, about 16 ms of its CPU (measured), for nothing.
 */
import { createRequire } from 'node:module';
import type Database from 'better-sqlite3';
import { registerQueryFunctions } from '../query/compile-sql.js';
import { ClusterScope } from './cluster-scope.js';
import type { SqliteCorrelation } from './correlation.js';
import type { SqliteIncidentDetection } from './incident-detection.js';
import type { SqliteIncidents } from './incidents.js';
import { SqliteObjects } from './objects.js';
import { openSqliteFile } from './sqlite-file.js';
import { StoreReader } from './reader.js';
import { SqliteSources } from './sources.js';
import type { KtrailStore, SqlResult, WriterOptions } from './store.js';
import type { IngestWriter } from './sqlite-writer.js';

const load = createRequire(import.meta.url);
const areas = {
  correlation: () => load('./correlation.js') as typeof import('./correlation.js'),
  detection: () => load('./incident-detection.js') as typeof import('./incident-detection.js'),
  incidents: () => load('./incidents.js') as typeof import('./incidents.js'),
  readOnlySql: () => load('./read-only-sql.js') as typeof import('./read-only-sql.js'),
  writer: () => load('./sqlite-writer.js') as typeof import('./sqlite-writer.js'),
};

export class SqliteStore implements KtrailStore {
  readonly events: StoreReader;
  readonly objects: SqliteObjects;
  readonly sources: SqliteSources;
  private readonly scope: ClusterScope;
  private incidentsMade?: SqliteIncidents;
  private correlationMade?: SqliteCorrelation;
  private detectionMade?: SqliteIncidentDetection;

  constructor(
    readonly db: Database.Database,
    /** The file as given, or ':memory:'. */
    readonly file: string,
    private readonly release: () => void = () => {},
    /** The cluster every read is limited to (cluster-scope.ts); undefined: every cluster. */
    readonly cluster: string | undefined = undefined,
  ) {
    const scope = cluster === undefined ? ClusterScope.ALL : new ClusterScope(cluster);
    this.scope = scope;
    this.events = new StoreReader(this, scope);
    this.objects = new SqliteObjects(db, scope);
    this.sources = new SqliteSources(db, scope);
  }

  get incidents(): SqliteIncidents {
    return (this.incidentsMade ??= new (areas.incidents().SqliteIncidents)(this.db, this.scope));
  }

  get correlation(): SqliteCorrelation {
    return (this.correlationMade ??= new (areas.correlation().SqliteCorrelation)(this.db));
  }

  get detection(): SqliteIncidentDetection {
    return (this.detectionMade ??= new (areas.detection().SqliteIncidentDetection)(this.db));
  }

  inCluster(cluster: string | undefined): SqliteStore {
    return new SqliteStore(this.db, this.file, this.release, cluster);
  }

  writer(opts?: WriterOptions): IngestWriter {
    return new (areas.writer().IngestWriter)(this, opts);
  }

  /**
   * On a file, through a connection of its own opened read-only (SQLite then refuses any write
   * whatever the statement); an in-memory store has only its own connection, under query_only.
   */
  readOnlySql(sql: string): SqlResult {
    const { runReadOnlySql } = areas.readOnlySql();
    if (this.file === ':memory:') return runReadOnlySql(this.db, sql);
    const ro = openSqliteFile(this.file, { readonly: true, fileMustExist: true });
    try {
      registerQueryFunctions(ro);
      return runReadOnlySql(ro, sql);
    } finally {
      ro.close();
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
    this.release();
  }
}
