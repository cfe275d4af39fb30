/**
 * Where the store lives when --db is not given: one database per set of inputs, in the user's
 * cache, named by a hash of the inputs' resolved paths with their sizes and mtimes. Running
 * ktrail again on the same unchanged inputs opens the same database (and skips the ingest);
 * any change to a file gives a new name, so a stale store is never shown for changed inputs.
 */
import { createHash } from 'node:crypto';
import { lstat, readdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** Files looked at under one directory: beyond this the name depends on the first ones only. */
const MAX_ENTRIES = 100_000;

async function describe(path: string, out: string[]): Promise<void> {
  if (out.length >= MAX_ENTRIES) return;
  let st;
  try {
    st = await lstat(path);
  } catch {
    out.push(`${path}\tmissing`);
    return;
  }
  if (st.isDirectory()) {
    // A directory's own mtime changes when entries come and go, not when a file in it grows:
    // describe what it holds.
    const names = (await readdir(path).catch(() => [] as string[])).sort();
    for (const name of names) await describe(join(path, name), out);
    return;
  }
  out.push(`${path}\t${st.size}\t${Math.floor(st.mtimeMs)}`);
}

/** The cache folder: $XDG_CACHE_HOME/ktrail, or ~/.cache/ktrail. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME.startsWith('/') ? env.XDG_CACHE_HOME : join(homedir(), '.cache');
  return join(base, 'ktrail');
}

/**
 * `$XDG_CACHE_HOME/ktrail/<hash>.db` for these inputs (the order they are given in does not
 * matter). Stdin has no identity to hash: with no paths this throws, and the caller uses a
 * temporary or ':memory:' store, or an explicit --db.
 */
export async function defaultDbPath(paths: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (paths.length === 0) throw new Error('no input paths: stdin has no default store (pass --db)');
  const entries: string[] = [];
  for (const p of [...new Set(paths.map((p) => resolve(p)))].sort()) await describe(p, entries);
  const hash = createHash('sha256').update(entries.join('\n')).digest('hex').slice(0, 24);
  return join(cacheDir(env), `${hash}.db`);
}
