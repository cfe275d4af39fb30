/**
 * `ktrail view [PATH...] [--db FILE] [--follow]`: the terminal UI over the store (src/tui).
 *
 * ink is loaded only here, when the view opens, so that the other commands do not pay for it
 * (and so that the CI check below can run before ink reads the environment).
 */
import { basename } from 'node:path';
import { colorEnabled } from '../output/colors.js';
import type { Store } from '../store/connection.js';
import { hasIncidents, hasObjects } from '../tui/model/incidents.js';
import type { Diagnostics } from './diagnostics.js';
import { openStoreFor, type StoreFlags } from './open-store.js';
import { UsageError } from './usage-error.js';

export interface ViewFlags extends StoreFlags {
  follow?: boolean;
}

export interface ViewOptions {
  /** Start in follow mode (new events appear as they are added to the store). */
  follow?: boolean;
  /** Shown at the top left. */
  title?: string;
}

/**
 * Opens the TUI on a store and resolves when the user quits (the demo calls this). Needs a
 * terminal on stdin and stdout.
 */
export async function openViewOnStore(store: Store, opts: ViewOptions = {}): Promise<void> {
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    throw new UsageError('ktrail view needs a terminal (stdin and stdout); to read piped logs, ktrail ingest them into --db FILE first');
  }
  // ink draws nothing but the last frame when it believes it runs under CI (it reads CI when it
  // is loaded). Someone who opens an interactive view in a terminal wants it drawn.
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
  // React's development build checks every render and makes each redraw several times slower;
  // it reads NODE_ENV when it is first loaded, which is here.
  process.env.NODE_ENV ??= 'production';
  const { runTui } = await import('../tui/run.js');
  await runTui(store, { title: opts.title, follow: opts.follow, color: colorEnabled(process.stdout) });
}

/**
 * Incidents for the `i` view. Detection (src/correlate/incidents) is not part of opening a store
 * yet: when the store is correlated and has none, run it here if this build has it. Loaded by
 * a computed name so that this file builds with or without that module.
 */
async function ensureIncidents(store: Store): Promise<void> {
  if (hasIncidents(store.db) || !hasObjects(store.db)) return;
  const spec = '../correlate/incidents/index.js';
  let mod: { detectIncidents?: (db: Store['db']) => unknown };
  try {
    mod = (await import(spec)) as typeof mod;
  } catch {
    return; // no incident detection in this build: the incident list says there are none
  }
  mod.detectIncidents?.(store.db);
}

function titleFor(paths: string[], flags: ViewFlags): string {
  const what = paths.length ? paths.map((p) => basename(p.replace(/\/+$/, '')) || p).join(' ') : flags.db ? basename(flags.db) : 'stdin';
  return `ktrail ${what.length > 40 ? what.slice(0, 39) + '…' : what}`;
}

export async function runView(paths: string[], flags: ViewFlags, diag: Diagnostics): Promise<number> {
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    throw new UsageError('ktrail view needs a terminal (stdin and stdout); to read piped logs, ktrail ingest them into --db FILE first');
  }
  const { store } = await openStoreFor(paths, flags, diag);
  try {
    await ensureIncidents(store);
    // Follow mode: the TUI polls the store for new events. The tailer that appends a growing
    // file's new lines to the store (src/ingest/follow.ts) is not in this build yet; until it
    // is, new events come from another `ktrail ingest PATH... --db FILE` into the same store.
    await openViewOnStore(store, { follow: flags.follow, title: titleFor(paths, flags) });
  } finally {
    store.close();
  }
  return diag.count > 0 ? 1 : 0;
}
