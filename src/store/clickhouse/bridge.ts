/**
 * Synchronous ClickHouse for the synchronous store interface (store.ts): every caller of
 * KtrailStore (CLI, TUI, reports) is synchronous, as better-sqlite3 is, so the ClickHouse backend
 * sends each query to a worker thread that owns the async HTTP client and blocks until the answer
 * comes back. The blocking is synckit's (createSyncFn: a MessageChannel plus Atomics.wait on a
 * SharedArrayBuffer), chosen over a bridge of our own because it is the well-kept version of
 * exactly that (eslint's and prettier's plugins use it) and handles the worker's start, errors
 * and timeouts. Cost per call: see `npm run bench -- clickhouse` (bridge round trip).
 */
import { createSyncFn } from 'synckit';
import { ClickhouseUnavailableError, parseJsonRows, type Connection, type Settings } from './http.js';
import type { BridgeAnswer, BridgeRequest } from './worker.js';
import { lit } from './escape.js';

let call: ((req: BridgeRequest) => BridgeAnswer) | undefined;

function bridge(): (req: BridgeRequest) => BridgeAnswer {
  // One worker per process, started on first use: a SQLite-only run never starts it.
  call ??= createSyncFn<(req: BridgeRequest) => Promise<BridgeAnswer>>(new URL('./worker.js', import.meta.url), {
    timeout: 600_000,
  });
  return call;
}

function run(req: BridgeRequest): string {
  const answer = bridge()(req);
  if (answer.ok) return answer.text;
  throw answer.unavailable ? new ClickhouseUnavailableError(answer.message) : new Error(answer.message);
}

export class SyncClickhouse {
  /** Settings sent with every read (see CLUSTER_READ_SETTINGS). */
  settings: Settings = {};

  constructor(readonly conn: Connection) {}

  text(sql: string, format: 'JSONEachRow' | 'JSON' = 'JSON', settings: Settings = {}): string {
    return run({ conn: this.conn, kind: 'text', sql, format, settings: { ...this.settings, ...settings } });
  }

  rows<T>(sql: string, settings?: Settings): T[] {
    return parseJsonRows<T>(this.text(sql, 'JSON', settings));
  }

  /** A setting's value for this user, as the server has it (its profile's, or the default). */
  setting(name: string): string | undefined {
    return this.rows<{ value: string }>(`SELECT value FROM system.settings WHERE name = ${lit(name)}`)[0]?.value;
  }

  /** The first column of the first row (undefined when there is no row). */
  value<T>(sql: string): T | undefined {
    const row = this.rows<Record<string, T>>(sql)[0];
    return row === undefined ? undefined : Object.values(row)[0];
  }

  command(sql: string, settings?: Settings): void {
    run({ conn: this.conn, kind: 'command', sql, settings });
  }
}
