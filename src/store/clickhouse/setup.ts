/**
 * Creating ktrail's database and tables in ClickHouse (schema.ts), on one server or on every
 * shard of a cluster. The shards are the hosts system.clusters lists for the cluster named in the
 * URL (first replica of each shard), reached over HTTP at the URL's port: the DDL runs on each
 * host directly, so no ZooKeeper (ON CLUSTER) is needed. Idempotent (IF NOT EXISTS throughout).
 */
import { lit } from './escape.js';
import { ClickhouseHttp, connectionOf, type Connection } from './http.js';
import { createDistributed, createLocal, TABLES } from './schema.js';
import type { ClickhouseTarget } from './url.js';
import { ident } from './escape.js';

/** The HTTP connection to each shard, in shard order (one entry without a cluster). */
export async function shardConnections(target: ClickhouseTarget): Promise<Connection[]> {
  if (!target.cluster) return [connectionOf(target)];
  const http = new ClickhouseHttp({ ...connectionOf(target), database: 'default' });
  try {
    const rows = await http.rows<{ shard_num: number; host_address: string }>(
      `SELECT shard_num, any(host_address) AS host_address FROM
         (SELECT shard_num, host_address FROM system.clusters WHERE cluster = ${lit(target.cluster)} ORDER BY shard_num, replica_num)
       GROUP BY shard_num ORDER BY shard_num`,
    );
    if (rows.length === 0) throw new Error(`${target.redacted}: the server has no cluster ${target.cluster} in its remote_servers`);
    return rows.map((r) => {
      const host = r.host_address.includes(':') ? `[${r.host_address}]` : r.host_address;
      return connectionOf(target, `http://${host}:${target.port}`);
    });
  } finally {
    await http.close();
  }
}

/** [major, minor] of the server. */
async function serverVersion(http: ClickhouseHttp): Promise<[number, number]> {
  const v = (await http.rows<{ v: string }>('SELECT version() AS v'))[0]?.v ?? '0.0';
  const [major, minor] = v.split('.').map(Number);
  return [major ?? 0, minor ?? 0];
}

/** Creates the database and every table where they are missing. */
export async function ensureSchema(target: ClickhouseTarget): Promise<Connection[]> {
  const shards = await shardConnections(target);
  const o = { database: target.database, cluster: target.cluster, ttlDays: target.ttlDays };
  for (const conn of shards) {
    const http = new ClickhouseHttp({ ...conn, database: 'default' });
    try {
      if (target.ttlDays !== undefined) {
        const [major, minor] = await serverVersion(http);
        if (major < 19 || (major === 19 && minor < 6)) {
          throw new Error(`${target.redacted}: ?ttl needs ClickHouse 19.6 or later (this server is ${major}.${minor}); drop old partitions instead (docs/clickhouse.md)`);
        }
      }
      await http.command(`CREATE DATABASE IF NOT EXISTS ${ident(target.database)}`);
      for (const t of TABLES) await http.command(createLocal(t, o));
      if (target.cluster) for (const t of TABLES) await http.command(createDistributed(t, { ...o, cluster: target.cluster }));
    } finally {
      await http.close();
    }
  }
  return shards;
}
