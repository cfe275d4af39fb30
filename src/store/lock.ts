/**
 * One writer per store file. SQLite serializes single transactions, not ingests: two ingests into
 * one database interleave their batches and delete each other's half-written sources (the
 * second dies on a FOREIGN KEY error). So a process that opens a store for writing first takes
 * `<db>.lock`, a file made atomically (written aside, then hard-linked into place, so it is
 * never seen half-written) that names the holder: pid, command line, since when. A second
 * writer does not wait: an ingest can run for minutes and a silent wait looks like a hang, so it
 * stops at once with StoreLockedError naming the holder. A lock whose process is gone (killed)
 * is stale and taken over. The lock is per process and counted, so one process may open the
 * same store twice (the TUI tests do).
 */
import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { processAlive as alive } from '../util/process-alive.js';
import { neutralize } from '../util/sanitize.js';
import { StoreStateError } from './errors.js';

export { StoreStateError };

export interface LockHolder {
  pid: number;
  command: string;
  /** RFC 3339. */
  since: string;
}

export class StoreLockedError extends StoreStateError {
  override name = 'StoreLockedError';
  constructor(
    readonly file: string,
    readonly holder: LockHolder,
  ) {
    super(
      `${file}: another ktrail is writing this store (pid ${holder.pid}, \`${neutralize(holder.command)}\`, since ${neutralize(holder.since)}); ` +
        `run this again when it has finished`,
    );
  }
}

const held = new Map<string, number>();
let exitHook = false;

export function lockPath(dbFile: string): string {
  return `${resolve(dbFile)}.lock`;
}

function readHolder(path: string): LockHolder | undefined {
  try {
    const v = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockHolder>;
    if (typeof v.pid === 'number' && Number.isInteger(v.pid) && v.pid > 0) {
      return { pid: v.pid, command: String(v.command ?? '?'), since: String(v.since ?? '?') };
    }
  } catch {
    // unreadable or gone: judged below
  }
  return undefined;
}

function describeSelf(): string {
  const [script, ...args] = process.argv.slice(1);
  return [script ? basename(script) : 'ktrail', ...args].join(' ');
}

function releaseAll(): void {
  for (const path of held.keys()) {
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
  }
  held.clear();
}

/**
 * Takes the write lock of a store file, or throws StoreLockedError naming who holds it. Returns
 * the release function (idempotent).
 */
export function acquireWriteLock(dbFile: string): () => void {
  const path = lockPath(dbFile);
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    const n = (held.get(path) ?? 1) - 1;
    if (n > 0) {
      held.set(path, n);
      return;
    }
    held.delete(path);
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
  };
  const count = held.get(path);
  if (count !== undefined) {
    held.set(path, count + 1);
    return release;
  }
  const me: LockHolder = { pid: process.pid, command: describeSelf(), since: new Date().toISOString() };
  const aside = `${path}.${process.pid}.tmp`;
  writeFileSync(aside, JSON.stringify(me) + '\n');
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(aside, path);
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) throw err;
      }
      const holder = readHolder(path);
      if (holder && holder.pid !== process.pid && alive(holder.pid)) throw new StoreLockedError(dbFile, holder);
      // Stale: its process is gone (or it is unreadable, which an atomic write never leaves).
      try {
        unlinkSync(path);
      } catch {
        // another process took it over first: try again
      }
    }
  } finally {
    try {
      unlinkSync(aside);
    } catch {
      // nothing to clean
    }
  }
  held.set(path, 1);
  if (!exitHook) {
    exitHook = true;
    process.on('exit', releaseAll);
  }
  return release;
}

/** Who holds a store's write lock now (undefined when nobody alive does). */
export function lockHolder(dbFile: string): LockHolder | undefined {
  const holder = readHolder(lockPath(dbFile));
  return holder && alive(holder.pid) ? holder : undefined;
}
