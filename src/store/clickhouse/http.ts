/**
 * ClickHouse over HTTP with @clickhouse/client, asynchronously: the ingest's copy uses it
 * directly, and the synchronous store reads use it from a worker thread (bridge.ts, worker.ts).
 * Checked against Debian's 18.16: queries, commands, JSONEachRow inserts and per-query settings
 * (readonly, output_format_json_quote_64bit_integers) all work; no query parameters are used
 * (18.16 has none): values are literals from escape.ts.
 *
 * Every error names the URL (password redacted): a user with several stores needs to know which
 * one failed.
 */
import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import type { ClickhouseTarget } from './url.js';

/** The server could not be reached or refused us: a usage problem, not a crash (exit 2). */
export class ClickhouseUnavailableError extends Error {
  override name = 'ClickhouseUnavailableError';
}

/** What a client needs to connect (plain data: it crosses to the worker thread). */
export interface Connection {
  httpUrl: string;
  username: string;
  password: string;
  database: string;
  redacted: string;
}

export function connectionOf(t: ClickhouseTarget, httpUrl = t.httpUrl): Connection {
  return { httpUrl, username: t.username, password: t.password, database: t.database, redacted: t.redacted };
}

/**
 * On a cluster, IN subqueries over Distributed tables must run on each shard's local tables: one
 * ingest run lives on one shard, so every event's refs, links and source are on the shard that
 * holds the event. Sent with each read unless the user's profile has it already (a readonly=1
 * user may not change any setting: docs/clickhouse.md).
 */
export const CLUSTER_READ_SETTINGS = { distributed_product_mode: 'local' } as const;

export type Settings = Record<string, string | number>;

const NETWORK = /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ECONNRESET|ETIMEDOUT|EAI_AGAIN|socket hang up|Timeout error/i;

export function describeError(conn: Connection, err: unknown): Error {
  const message = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: string } | null)?.code ?? '';
  if (NETWORK.test(`${code} ${message}`)) {
    return new ClickhouseUnavailableError(`${conn.redacted}: cannot reach ClickHouse (${code || message})`);
  }
  if (/Authentication failed|password is incorrect|Wrong password|There is no user|UNKNOWN_USER|REQUIRED_PASSWORD/i.test(message)) {
    return new ClickhouseUnavailableError(`${conn.redacted}: ClickHouse refused the user: ${message.split('\n')[0]}`);
  }
  return new Error(`${conn.redacted}: ${message.split('\n')[0]}`);
}

export class ClickhouseHttp {
  private readonly client: ClickHouseClient;

  constructor(readonly conn: Connection) {
    this.client = createClient({
      url: conn.httpUrl,
      username: conn.username,
      password: conn.password,
      database: conn.database,
      // Errors come back to the caller, who names the URL: the client's own log would say it twice.
      log: { level: ClickHouseLogLevel.OFF },
    });
  }

  /** The response text of a query in `format` (appended by the client). */
  async text(sql: string, format: 'JSONEachRow' | 'JSON' = 'JSON', settings: Settings = {}): Promise<string> {
    try {
      const rs = await this.client.query({ query: sql, format, clickhouse_settings: settings as never });
      return await rs.text();
    } catch (err) {
      throw describeError(this.conn, err);
    }
  }

  async rows<T>(sql: string, settings: Settings = {}): Promise<T[]> {
    return parseJsonRows<T>(await this.text(sql, 'JSON', settings));
  }

  /** A statement without a result (DDL). */
  async command(sql: string, settings: Settings = {}): Promise<void> {
    try {
      await this.client.command({ query: sql, clickhouse_settings: settings as never });
    } catch (err) {
      throw describeError(this.conn, err);
    }
  }

  async insert(table: string, rows: readonly object[]): Promise<void> {
    if (rows.length === 0) return;
    try {
      await this.client.insert({ table, values: rows as object[], format: 'JSONEachRow' });
    } catch (err) {
      throw describeError(this.conn, err);
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

const INT64 = /^(Nullable\()?U?Int64\)?$/;

/**
 * Rows of a FORMAT JSON answer. ClickHouse quotes 64-bit integers in JSON by default (the setting
 * that stops it is one a readonly user may not change), so columns the answer's meta types as
 * (U)Int64 are turned back into numbers here: ids and microsecond times stay far below 2^53.
 */
export function parseJsonRows<T>(text: string): T[] {
  const { meta, data } = JSON.parse(text) as { meta: { name: string; type: string }[]; data: Record<string, unknown>[] };
  const wide = meta.filter((m) => INT64.test(m.type)).map((m) => m.name);
  if (wide.length > 0) {
    for (const row of data) for (const name of wide) if (typeof row[name] === 'string') row[name] = Number(row[name]);
  }
  return data as T[];
}
