/**
 * Archives given to any reading command (a must-gather `.tar.xz` as published, a CI artifact
 * `.tar.gz`, a `.zip` bug report): extracted with the same safety as `ktrail ci` (no path
 * escapes, no links, bounded sizes and ratios: src/report/archive) into a private temporary
 * folder that discovery then walks like any other. The folder is removed when the process exits,
 * since events are read from it lazily, long after discovery returns, or when the process is
 * ended by SIGINT, SIGTERM or SIGHUP (Ctrl-C, `timeout`, a cancelled CI job: before, each left
 * the extracted copy behind, 97 MB for the must-gather), after which it dies by that signal as
 * it would have.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractArchive, type ArchiveKind } from '../report/archive/extract.js';
import { EXTRACTION_PREFIX } from '../util/extracted-path.js';
import { neutralize } from '../util/sanitize.js';
import type { Diagnostics } from './diagnostics.js';

const made: string[] = [];
let cleanupHooked = false;

function removeAll(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

const ENDING_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Removes the folders, then lets the signal do what it would have done without this listener. */
function removeAllThenDie(signal: NodeJS.Signals): void {
  removeAll();
  for (const s of ENDING_SIGNALS) process.removeListener(s, removeAllThenDie);
  // With no listener left (the TUI keeps its own), the signal's default action ends the process.
  process.kill(process.pid, signal);
}

/** A private folder under the system's temp folder, removed at exit. */
function privateFolder(): string {
  if (!cleanupHooked) {
    cleanupHooked = true;
    process.once('exit', removeAll);
    for (const s of ENDING_SIGNALS) process.on(s, removeAllThenDie);
  }
  const dir = mkdtempSync(join(tmpdir(), EXTRACTION_PREFIX));
  made.push(dir);
  return dir;
}

/**
 * Extracts `path` and returns the folder holding its entries, or undefined when nothing could be
 * read (the cause is reported through `diag` under `display`). Refused entries and an early stop
 * are reported too; what was extracted is still read.
 */
export async function openArchive(path: string, kind: ArchiveKind, display: string, diag: Diagnostics): Promise<string | undefined> {
  const into = privateFolder();
  try {
    const result = await extractArchive(path, kind, into, {
      onRefuse: (r) => diag.warn(display, `refused archive entry "${neutralize(r.entry)}": ${r.reason}`),
      onRename: (r) => diag.warn(display, `archive entry "${neutralize(r.entry)}" appears twice: the second is read as "${neutralize(r.keptAs)}"`),
    });
    if (result.stopped) diag.warn(display, result.stopped);
    if (result.files === 0 && result.stopped) return undefined;
    return into;
  } catch (err) {
    diag.warn(display, `cannot read as a ${kind} archive: ${(err as Error).message}`);
    return undefined;
  }
}

/** Removes the folders extracted so far (tests; the CLI relies on the exit hook). */
export function removeExtractedArchives(): void {
  removeAll();
}
