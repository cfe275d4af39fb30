/**
 * One ingest at a time into a ClickHouse store. 18.16 has no transactions and no
 * compare-and-set on rows, but DDL on one table name is serialized by the server: of two
 * `CREATE TABLE ingest_lock` at once, exactly one succeeds. So the lock is that table's
 * existence, and who holds it is written in the same statement (the columns' DEFAULT values: the
 * owner and the server time it was taken), so a lock never exists without its owner.
 *
 * - Lease: the holder's heartbeat (heartbeat.ts, its own thread) writes to ingest_heartbeats
 *   every HEARTBEAT_MS. A lock whose owner has not beaten for `leaseSeconds` (default 60) is
 *   stale; so is one whose owner is a process of this host that no longer runs (a killed
 *   ingest: no wait at all). A stale lock is broken by dropping the table, then taken as usual.
 * - Waiting: a live holder is waited for (a large ingest takes minutes), with a line on stderr.
 * - The holder checks it still holds the lock (`check()`) before it makes its run visible
 *   (copy.ts writes the sources rows after it). An ingest paused longer than its lease can lose
 *   the lock to another; it then fails at that check and its rows stay invisible, to be removed
 *   by the next ingest (orphans.ts).
 *
 * Guarantees: ingests that each hold the lock from before they read the store's largest ids and
 * stored fingerprints until their run is visible never overlap, so they never take the same ids
 * or copy the same source twice. Not guaranteed: a holder that stops beating for a whole lease
 * yet still runs afterwards can, in the moment between its check and its sources insert, overlap
 * the next holder.
 *
 * The lock lives on the server of the URL (with ?cluster=, the first shard holds it for all).
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { ident, lit } from './escape.js';
import type { HeartbeatData } from './heartbeat.js';
import { ClickhouseHttp, connectionOf } from './http.js';
import type { ClickhouseTarget } from './url.js';

const LOCK = 'ingest_lock';
const HEARTBEAT_MS = 5000;

export interface LockOptions {
  /** Seconds without a heartbeat after which a holder is taken for dead. Default 60. */
  leaseSeconds?: number;
  /** Told once when the lock is held by another ingest and we wait. */
  onWait?: (holder: string) => void;
}

export interface IngestLock {
  readonly owner: string;
  /** Throws unless this ingest still holds the lock. */
  check(): Promise<void>;
  /** Gives the lock up (and stops the heartbeat). Idempotent. */
  release(): Promise<void>;
}

interface Holder {
  owner: string;
  since: number;
}

/**
 * host:pid:random, so that a holder on this host can be seen to be dead. Only letters, digits and
 * `_.-:` by construction: its DEFAULT literal reads back as written (defaultOf).
 */
function newOwner(): string {
  return `${hostname().replace(/[^\w.-]/g, '_')}:${process.pid}:${randomUUID()}`;
}

/** Whether `owner` names a process of this host that is gone. */
function deadHere(owner: string): boolean {
  const [host, pid] = owner.split(':');
  if (host !== hostname() || !/^\d+$/.test(pid ?? '')) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * The value of a DEFAULT we wrote with lit(), read without running it: a quoted string
 * (`'host:1:uuid'`), or an integer (18.16 shows `CAST(123, 'Int64')`).
 */
function defaultOf(expr: string | undefined, kind: 'string' | 'integer'): string | undefined {
  if (kind === 'integer') return /-?\d+/.exec(expr ?? '')?.[0];
  return /'((?:[^'\\]|\\.)*)'/.exec(expr ?? '')?.[1]?.replace(/\\(.)/g, '$1');
}

async function holderOf(http: ClickhouseHttp, db: string, table: string): Promise<Holder | undefined> {
  const cols = await http.rows<{ name: string; default_expression: string }>(
    `SELECT name, default_expression FROM system.columns WHERE database = ${lit(db)} AND table = ${lit(table)}`,
  );
  if (cols.length === 0) return undefined;
  const expr = (n: string): string | undefined => cols.find((c) => c.name === n)?.default_expression;
  return { owner: defaultOf(expr('owner'), 'string') ?? '?', since: Number(defaultOf(expr('since'), 'integer') ?? 0) };
}

async function serverNow(http: ClickhouseHttp): Promise<number> {
  return Number((await http.rows<{ t: number }>('SELECT toInt64(toUnixTimestamp(now())) AS t'))[0]?.t ?? 0);
}

async function stale(http: ClickhouseHttp, holder: Holder, leaseSeconds: number): Promise<boolean> {
  if (deadHere(holder.owner)) return true;
  const [beat] = await http.rows<{ at: number }>(`SELECT max(at) AS at FROM ingest_heartbeats WHERE owner = ${lit(holder.owner)}`);
  const last = Math.max(holder.since, Number(beat?.at ?? 0));
  return (await serverNow(http)) - last > leaseSeconds;
}

function startHeartbeat(data: HeartbeatData): Worker {
  const w = new Worker(new URL('./heartbeat.js', import.meta.url), { workerData: data });
  // It never keeps the process alive by itself, and an error in it must not crash the ingest.
  w.unref();
  w.on('error', () => undefined);
  return w;
}

export async function acquireIngestLock(target: ClickhouseTarget, opts: LockOptions = {}): Promise<IngestLock> {
  const leaseSeconds = opts.leaseSeconds ?? 60;
  const conn = connectionOf(target);
  const http = new ClickhouseHttp(conn);
  const db = target.database;
  const owner = newOwner();
  let told = false;
  try {
    await http.command(`CREATE TABLE IF NOT EXISTS ${ident(db)}.ingest_heartbeats (owner String, at Int64) ENGINE = ReplacingMergeTree(at) ORDER BY owner`);
    for (;;) {
      try {
        await http.command(
          `CREATE TABLE ${ident(db)}.${ident(LOCK)} (owner String DEFAULT ${lit(owner)}, since Int64 DEFAULT ${lit(await serverNow(http))}) ENGINE = Memory`,
        );
        break;
      } catch (err) {
        if (!/already exists/i.test((err as Error).message)) throw err;
      }
      const holder = await holderOf(http, db, LOCK);
      if (holder === undefined) continue;
      if (await stale(http, holder, leaseSeconds)) {
        await breakLock(http, db, holder.owner);
        continue;
      }
      if (!told) opts.onWait?.(holder.owner);
      told = true;
      await sleep(1000);
    }
  } catch (err) {
    await http.close();
    throw err;
  }
  const heartbeat = startHeartbeat({ conn, owner, everyMs: HEARTBEAT_MS });
  let released = false;
  return {
    owner,
    async check() {
      const holder = await holderOf(http, db, LOCK);
      if (holder?.owner !== owner) {
        throw new Error(`${target.redacted}: this ingest lost the store's ingest lock (now held by ${holder?.owner ?? 'nobody'}); its rows stay invisible`);
      }
    },
    async release() {
      if (released) return;
      released = true;
      await heartbeat.terminate();
      try {
        // Only our own lock: one broken while we were paused belongs to another now.
        if ((await holderOf(http, db, LOCK))?.owner === owner) await http.command(`DROP TABLE IF EXISTS ${ident(db)}.${ident(LOCK)}`);
      } finally {
        await http.close();
      }
    },
  };
}

/**
 * Drops a stale lock. Moved aside under a name of our own first (RENAME is atomic), so that of
 * two ingests breaking the same stale lock only one drops anything, and what it drops is looked
 * at: should it be a fresh lock taken in between, it is put back.
 */
async function breakLock(http: ClickhouseHttp, db: string, staleOwner: string): Promise<void> {
  const aside = `ingest_lock_stale_${randomUUID().replace(/-/g, '')}`;
  try {
    await http.command(`RENAME TABLE ${ident(db)}.${ident(LOCK)} TO ${ident(db)}.${ident(aside)}`);
  } catch {
    return; // Another ingest moved or dropped it first.
  }
  const moved = await holderOf(http, db, aside);
  if (moved?.owner !== staleOwner) {
    try {
      await http.command(`RENAME TABLE ${ident(db)}.${ident(aside)} TO ${ident(db)}.${ident(LOCK)}`);
      return;
    } catch {
      // A lock was taken meanwhile: the one moved aside has lost, and its holder learns it at check().
    }
  }
  await http.command(`DROP TABLE IF EXISTS ${ident(db)}.${ident(aside)}`);
}
