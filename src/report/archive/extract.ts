/**
 * An archive given to `ktrail ci` or any reading command (.tar, .tar.gz, .tgz, .tar.xz, .txz,
 * .tar.zst, .tzst, .zip) extracted into a folder of its
 * own, safely: see extraction.ts for the rules and limits.ts for the bounds.
 */
import { mkdir } from 'node:fs/promises';
import { Extraction, type ExtractResult, type RefusedEntry, type RenamedEntry } from './extraction.js';
import { DEFAULT_LIMITS, type ArchiveLimits } from './limits.js';
import type { TarCompression } from './tar.js';

export type ArchiveKind = 'tar' | 'tar.gz' | 'tar.xz' | 'tar.zst' | 'zip';

const TAR_COMPRESSION: Record<Exclude<ArchiveKind, 'zip'>, TarCompression> = { tar: undefined, 'tar.gz': 'gzip', 'tar.xz': 'xz', 'tar.zst': 'zstd' };

/** The archive kind a file name says, or undefined for anything else (a log, a .log.gz). */
export function archiveKind(path: string): ArchiveKind | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith('.tar.gz') || lower.endsWith('.tgz')) return 'tar.gz';
  if (lower.endsWith('.tar.xz') || lower.endsWith('.txz')) return 'tar.xz';
  if (lower.endsWith('.tar.zst') || lower.endsWith('.tzst')) return 'tar.zst';
  if (lower.endsWith('.tar')) return 'tar';
  if (lower.endsWith('.zip')) return 'zip';
  return undefined;
}

export interface ExtractOptions {
  limits?: Partial<ArchiveLimits>;
  /** Told of each refused entry as it happens (the CLI names it on stderr). */
  onRefuse?: (entry: RefusedEntry) => void;
  /** Told of each zip entry kept under another name (two entries of one name). */
  onRename?: (entry: RenamedEntry) => void;
}

/** Extracts `file` into `into` (created if missing); what was refused is in the result. */
export async function extractArchive(file: string, kind: ArchiveKind, into: string, opts: ExtractOptions = {}): Promise<ExtractResult> {
  await mkdir(into, { recursive: true });
  const ex = new Extraction(into, { ...DEFAULT_LIMITS, ...opts.limits }, opts.onRefuse ?? (() => undefined), kind === 'zip', opts.onRename);
  // The readers and their packages load only when an archive is opened: lzma-native, tar-stream
  // and yauzl took about 50 ms of CPU at the start of every read that met no archive (a 0.6 MB
  // folder read in 0.23 s), since discovery, which every read runs, imports this module.
  if (kind === 'zip') await (await import('./zip.js')).extractZip(file, ex);
  else await (await import('./tar.js')).extractTar(file, TAR_COMPRESSION[kind], ex);
  return ex.result;
}

export type { ExtractResult, RefusedEntry, RenamedEntry } from './extraction.js';
export { DEFAULT_LIMITS, type ArchiveLimits } from './limits.js';
