/**
 * The SQLite backend of KtrailStore (store.ts): one better-sqlite3 connection, with one query
 * module per area (reader.ts events, objects.ts, incidents.ts, sources.ts, correlation.ts; a new
 * area is a new module and one member here). Open it with openStore (connection.ts), which
 * migrates the schema and takes the write lock.
 *
 * `db` is for the store's own modules, the schema tests, and incident detection until its
 * queries move under src/store/; commands, views and reports use the interface only.
 */
import Database from 'better-sqlite3';
import { registerQueryFunctions } from '../query/compile-sql.js';
import { ClusterScope } from './cluster-scope.js';
import { SqliteCorrelation } from './correlation.js';
import { SqliteIncidents } from './incidents.js';
import { SqliteObjects } from './objects.js';
import { runReadOnlySql } from './read-only-sql.js';
import { StoreReader } from './reader.js';
import { SqliteSources } from './sources.js';
import type { KtrailStore, SqlResult, WriterOptions } from './store.js';
import { IngestWriter } from './sqlite-writer.js';

export class SqliteStore implements KtrailStore {
  readonly events: StoreReader;
  readonly objects: SqliteObjects;
  readonly incidents: SqliteIncidents;
  readonly sources: SqliteSources;
  readonly correlation: SqliteCorrelation;

  constructor(
    readonly db: Database.Database,
    /** The file as given, or ':memory:'. */
    readonly file: string,
    private readonly release: () => void = () => {},
    /** The cluster every read is limited to (cluster-scope.ts); undefined: every cluster. */
    readonly cluster: string | undefined = undefined,
  ) {
    const scope = cluster === undefined ? ClusterScope.ALL : new ClusterScope(cluster);
    this.events = new StoreReader(this, scope);
    this.objects = new SqliteObjects(db, scope);
    this.incidents = new SqliteIncidents(db, scope);
    this.sources = new SqliteSources(db, scope);
    this.correlation = new SqliteCorrelation(db);
  }

  inCluster(cluster: string | undefined): SqliteStore {
    return new SqliteStore(this.db, this.file, this.release, cluster);
  }

  writer(opts?: WriterOptions): IngestWriter {
    return new IngestWriter(this, opts);
  }

  /**
   * On a file, through a connection of its own opened read-only (SQLite then refuses any write
   * whatever the statement); an in-memory store has only its own connection, under query_only.
   */
  readOnlySql(sql: string): SqlResult {
    if (this.file === ':memory:') return runReadOnlySql(this.db, sql);
    const ro = new Database(this.file, { readonly: true, fileMustExist: true });
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
