/**
 * Private folders a command fills while it runs and nobody needs after it: an archive's
 * extracted entries (src/ingest/archive-input.ts, 97 MB for the must-gather) and incident
 * detection's candidate spill (src/store/candidate-spill.ts, hundreds of MB at 5M events).
 *
 * A folder is removed when its owner is done with it and when the process exits. One that asks
 * (`removeOnSignals`) is also removed when the process is ended by SIGINT, SIGTERM or SIGHUP
 * (Ctrl-C, `timeout`, a cancelled CI job), after which the process dies by that signal as it
 * would have. Not every owner should ask: Node runs a signal's listener only when the event loop
 * turns, so a listener holds Ctrl-C back until a long synchronous phase (incident detection, the
 * spill's owner) ends, where the signal's default action stops the process at once.
 *
 * A process killed by a signal it does not listen for (or SIGKILL, or the kernel's OOM killer)
 * runs none of that, so each folder's name carries its process's id, and making a folder first
 * removes the ones of the same kind, in the same place, whose process is gone. Folders of live
 * processes are left alone: another ktrail may be using its own, beside another store in the
 * same folder. The test is the one the store lock makes (src/store/lock.ts): a pid on this
 * machine.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { processAlive } from './process-alive.js';

const made = new Set<string>();
let exitHooked = false;
let signalsHooked = false;

const ENDING_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function remove(dir: string): void {
  made.delete(dir);
  rmSync(dir, { recursive: true, force: true });
}

/** Removes every folder this process made and still holds (the exit hook; tests). */
export function removeAllScratchFolders(): void {
  for (const dir of [...made]) remove(dir);
}

/** Removes the folders, then lets the signal do what it would have done without this listener. */
function removeAllThenDie(signal: NodeJS.Signals): void {
  removeAllScratchFolders();
  for (const s of ENDING_SIGNALS) process.removeListener(s, removeAllThenDie);
  signalsHooked = false;
  // With no listener left (the TUI keeps its own), the signal's default action ends the process.
  process.kill(process.pid, signal);
}

/** The folders in `parent` named `<prefix><pid>-...` whose process is gone. */
export function staleScratchFolders(parent: string, prefix: string): string[] {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return [];
  }
  const stale: string[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = /^(\d+)-/.exec(name.slice(prefix.length))?.[1];
    if (pid === undefined) continue; // not one of ours (or made before names carried a pid): left alone
    const n = Number(pid);
    if (n > 0 && n !== process.pid && !processAlive(n)) stale.push(join(parent, name));
  }
  return stale;
}

export interface ScratchFolderOptions {
  /** Remove it (and the process's other folders) on SIGINT, SIGTERM and SIGHUP: see above. */
  removeOnSignals?: boolean;
}

/**
 * Makes `<parent>/<prefix><pid>-XXXXXX` (mkdtemp: private, a name nobody else holds) after removing
 * the stale folders of the same prefix there. Returns its path.
 */
export function makeScratchFolder(parent: string, prefix: string, options: ScratchFolderOptions = {}): string {
  for (const dir of staleScratchFolders(parent, prefix)) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // another process's sweep got there first, or it is not ours to remove: the new folder does not need it gone
    }
  }
  if (!exitHooked) {
    exitHooked = true;
    process.once('exit', removeAllScratchFolders);
  }
  if (options.removeOnSignals && !signalsHooked) {
    signalsHooked = true;
    for (const s of ENDING_SIGNALS) process.on(s, removeAllThenDie);
  }
  const dir = mkdtempSync(join(parent, `${prefix}${process.pid}-`));
  made.add(dir);
  return dir;
}

/**
 * Runs `f`, a long synchronous phase (correlation), with the signals' default actions: a listener
 * would run only after `f` returns, so Ctrl-C would wait for it (or be lost when the process then
 * ends). A folder left by a signal in `f` is removed by the next one made beside it.
 */
export function withDefaultSignals<T>(f: () => T): T {
  if (!signalsHooked) return f();
  for (const s of ENDING_SIGNALS) process.removeListener(s, removeAllThenDie);
  try {
    return f();
  } finally {
    for (const s of ENDING_SIGNALS) process.on(s, removeAllThenDie);
  }
}

/** Removes a folder made by makeScratchFolder (its owner is done with it). */
export function removeScratchFolder(dir: string): void {
  remove(dir);
}
