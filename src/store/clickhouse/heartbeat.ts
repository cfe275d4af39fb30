/**
 * The ingest lock's heartbeat (ingest-lock.ts), in a worker thread of its own: parsing and
 * correlating hold the main thread for minutes at a time (better-sqlite3 is synchronous), and a
 * lease renewed from there would lapse while the ingest is alive and well. Every `everyMs` it
 * writes (owner, server time) to ingest_heartbeats; the owner's thread terminates it on release.
 */
import { workerData } from 'node:worker_threads';
import { lit } from './escape.js';
import { ClickhouseHttp, type Connection } from './http.js';

export interface HeartbeatData {
  conn: Connection;
  owner: string;
  everyMs: number;
}

const { conn, owner, everyMs } = workerData as HeartbeatData;
const http = new ClickhouseHttp(conn);

async function beat(): Promise<void> {
  try {
    await http.command(`INSERT INTO ingest_heartbeats SELECT ${lit(owner)}, toInt64(toUnixTimestamp(now()))`);
  } catch {
    // A missed beat is retried at the next one; the lease is many beats long.
  }
}

await beat();
setInterval(() => void beat(), everyMs);
