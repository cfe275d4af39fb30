/**
 * Archives given to any reading command (a must-gather `.tar.xz` as published, a CI artifact
 * `.tar.gz`, a `.zip` bug report): extracted with the same safety as `ktrail ci` (no path
 * escapes, no links, bounded sizes and ratios: src/report/archive) into a private temporary
 * folder that discovery then walks like any other. The folder is removed when the process exits,
 * since events are read from it lazily, long after discovery returns.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractArchive, type ArchiveKind } from '../report/archive/extract.js';
import { neutralize } from '../util/sanitize.js';
import type { Diagnostics } from './diagnostics.js';

const made: string[] = [];
let cleanupHooked = false;

function removeAll(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A private folder under the system's temp folder, removed at exit. */
function privateFolder(): string {
  if (!cleanupHooked) {
    cleanupHooked = true;
    process.once('exit', removeAll);
  }
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-archive-'));
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
