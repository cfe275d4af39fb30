/**
 * Archives given to any reading command (a must-gather `.tar.xz` as published, a CI artifact
 * `.tar.gz`, a `.zip` bug report): extracted with the same safety as `ktrail ci` (no path
 * escapes, no links, bounded sizes and ratios: src/report/archive) into a private temporary
 * folder that discovery then walks like any other. The folder is removed when the process exits,
 * since events are read from it lazily, long after discovery returns, or when the process is
 * ended by SIGINT, SIGTERM or SIGHUP (Ctrl-C, `timeout`, a cancelled CI job: before, each left
 * the extracted copy behind, 97 MB for the must-gather), after which it dies by that signal as
 * it would have; one killed outright leaves it for the next extraction to remove
 * (src/util/scratch-folder.ts).
 */
import { tmpdir } from 'node:os';
import { extractArchive, type ArchiveKind } from '../report/archive/extract.js';
import { EXTRACTION_PREFIX } from '../util/extracted-path.js';
import { makeScratchFolder, removeAllScratchFolders } from '../util/scratch-folder.js';
import { neutralize } from '../util/sanitize.js';
import type { Diagnostics } from './diagnostics.js';

/**
 * Extracts `path` and returns the folder holding its entries, or undefined when nothing could be
 * read (the cause is reported through `diag` under `display`). Refused entries and an early stop
 * are reported too; what was extracted is still read.
 */
export async function openArchive(path: string, kind: ArchiveKind, display: string, diag: Diagnostics): Promise<string | undefined> {
  const into = makeScratchFolder(tmpdir(), EXTRACTION_PREFIX, { removeOnSignals: true });
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
  removeAllScratchFolders();
}
