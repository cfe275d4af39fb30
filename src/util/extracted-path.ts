/**
 * Files read out of an archive live in a temporary folder (src/ingest/archive-input.ts) that is
 * gone once the command ends. Advice that names files to read again (an interrupted ingest's
 * "complete it with: ktrail ingest ...") must name the archive the user gave, not that folder.
 * Kept apart from archive-input.ts so that a store reader finds it without loading the ingest.
 */

/** The start of every extraction folder's name, under the system's temp folder. */
export const EXTRACTION_PREFIX = 'ktrail-archive-';

const EXTRACTED = new RegExp(`[\\\\/]${EXTRACTION_PREFIX}[^\\\\/]+[\\\\/](.+)$`);

/**
 * The path to give `ktrail ingest` for a source stored with `path` and `display`: the archive's
 * path (the display up to the entry's name) for a file extracted from one, else the path itself.
 */
export function givenPath(path: string, display: string): string {
  const entry = EXTRACTED.exec(path)?.[1];
  if (entry === undefined || !display.endsWith(`/${entry}`)) return path;
  return display.slice(0, display.length - entry.length - 1);
}
