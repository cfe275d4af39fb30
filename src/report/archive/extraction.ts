/**
 * The bookkeeping shared by the tar and zip readers: which entries may be written (path, type,
 * size), writing one entry's bytes within the limits, and the list of what was refused. An
 * entry that breaks a rule is refused (named, with the reason) and the rest goes on; only the
 * archive-wide bounds (entry count, bytes scanned) stop the reading, and that is said too.
 */
import { mkdir, open, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { checkEntryPath, targetPath } from './entry-path.js';
import { formatBytes, type ArchiveLimits } from './limits.js';

export interface RefusedEntry {
  /** The entry's name as the archive gives it. */
  entry: string;
  reason: string;
}

/** A zip entry whose name an earlier entry already had: written beside it under another name. */
export interface RenamedEntry {
  entry: string;
  /** The relative path it was written to. */
  keptAs: string;
}

export interface ExtractResult {
  /** The folder the archive was extracted into. */
  root: string;
  /** Zip entries kept under another name because an earlier entry had theirs. */
  renamed: RenamedEntry[];
  /** Regular files written. */
  files: number;
  bytes: number;
  refused: RefusedEntry[];
  /** Set when an archive-wide bound stopped the reading before the end (the entries read are kept). */
  stopped?: string;
}

export type EntryType = 'file' | 'directory' | 'symlink' | 'hardlink' | 'other';

/** Thrown to stop reading the archive at an archive-wide bound. */
export class StopExtraction extends Error {
  override name = 'StopExtraction';
}

/** The unit compressed input is read in (see overLimit). */
const COMPRESSED_GRAIN = 64 * 1024;

export type Admission = { write: true; target: string; name: string } | { write: false };

export class Extraction {
  readonly result: ExtractResult;
  private entries = 0;
  /** Bytes decompressed so far, written or not. */
  scanned = 0;

  /** Targets written so far (see keepBoth). */
  private readonly written = new Set<string>();

  constructor(
    readonly root: string,
    readonly limits: ArchiveLimits,
    private readonly onRefuse: (entry: RefusedEntry) => void,
    /**
     * Zip: an entry whose name an earlier entry had is kept beside it (`current~2.log`), never
     * over it. A zip has no "later entry updates the file" meaning as tar has, and a second entry
     * that silently replaced the first could hide a failing log from `ktrail ci`.
     */
    private readonly keepBoth = false,
    private readonly onRename: (entry: RenamedEntry) => void = () => undefined,
  ) {
    this.result = { root, files: 0, bytes: 0, refused: [], renamed: [] };
  }

  refuse(entry: string, reason: string): void {
    const r = { entry, reason };
    this.result.refused.push(r);
    this.onRefuse(r);
  }

  /** Decides an entry from its header: write it (to `target`) or set it aside. */
  admit(name: string, type: EntryType, declaredSize: number | undefined, linkTarget?: string): Admission {
    if (++this.entries > this.limits.maxEntries) {
      throw new StopExtraction(`more than ${this.limits.maxEntries} entries: the entries after "${name}" were not read`);
    }
    const path = checkEntryPath(name);
    if (!path.ok) {
      this.refuse(name, path.reason);
      return { write: false };
    }
    if (type === 'symlink' || type === 'hardlink') {
      const to = linkTarget === undefined ? '' : ` to ${linkTarget}`;
      this.refuse(name, `${type === 'symlink' ? 'symbolic' : 'hard'} link${to} set aside: links are neither followed nor created`);
      return { write: false };
    }
    if (type === 'other') {
      this.refuse(name, 'not a regular file or folder (device, FIFO...): set aside');
      return { write: false };
    }
    let target = targetPath(this.root, path.relative);
    if (type === 'directory') return { write: true, target, name };
    if (this.keepBoth && this.written.has(target)) {
      const renamed = this.freeName(path.relative);
      target = targetPath(this.root, renamed);
      const r = { entry: name, keptAs: renamed };
      this.result.renamed.push(r);
      this.onRename(r);
    }
    this.written.add(target);
    if (declaredSize !== undefined && declaredSize > this.limits.maxEntryBytes) {
      this.refuse(name, `${formatBytes(declaredSize)} is over the ${formatBytes(this.limits.maxEntryBytes)} limit per entry`);
      return { write: false };
    }
    if (declaredSize !== undefined && this.result.bytes + declaredSize > this.limits.maxTotalBytes) {
      this.refuse(name, `the archive's extracted bytes would pass the ${formatBytes(this.limits.maxTotalBytes)} limit`);
      return { write: false };
    }
    return { write: true, target, name };
  }

  /** `a/current.log` -> `a/current~2.log` (then ~3...): the extension stays, so the file is still read as a log. */
  private freeName(relative: string): string {
    const slash = relative.lastIndexOf('/');
    const dot = relative.indexOf('.', slash + 1);
    const stem = dot > slash + 1 ? relative.slice(0, dot) : relative;
    const ext = dot > slash + 1 ? relative.slice(dot) : '';
    for (let k = 2; ; k++) {
      const candidate = `${stem}~${k}${ext}`;
      if (!this.written.has(targetPath(this.root, candidate))) return candidate;
    }
  }

  private countScanned(n: number, name: string): void {
    this.scanned += n;
    if (this.scanned > this.limits.maxScanBytes) {
      throw new StopExtraction(
        `decompressed more than ${formatBytes(this.limits.maxScanBytes)} while reading "${name}": the rest of the archive was not read`,
      );
    }
  }

  /** Reads an entry that is not written (to get past it), counting what it costs. */
  async readPast(data: AsyncIterable<Buffer>, name: string): Promise<void> {
    for await (const chunk of data) this.countScanned(chunk.length, name);
  }

  /**
   * Writes an entry's bytes to its target, within the limits. `compressedSoFar` (the archive's
   * compressed bytes consumed so far) lets a tar.gz entry's own ratio be judged as it streams;
   * `compressedSize` is the zip entry's own figure. A broken rule refuses the entry, removes
   * what was written of it, and reads past the rest.
   */
  async write(
    admission: Extract<Admission, { write: true }>,
    data: AsyncIterable<Buffer>,
    opts: { compressedSoFar?: () => number; compressedSize?: number } = {},
  ): Promise<void> {
    const { target, name } = admission;
    await mkdir(dirname(target), { recursive: true });
    // 'wx' would refuse a repeated entry; a later entry replacing an earlier one is what tar does.
    // The target cannot be a link: this code never creates one.
    const file = await open(target, 'w');
    const compressedStart = opts.compressedSoFar?.() ?? 0;
    let written = 0;
    let refusedFor: string | undefined;
    try {
      for await (const chunk of data) {
        this.countScanned(chunk.length, name);
        if (refusedFor !== undefined) continue;
        const next = written + chunk.length;
        refusedFor = this.overLimit(next, chunk.length, opts.compressedSoFar ? opts.compressedSoFar() - compressedStart : opts.compressedSize);
        if (refusedFor !== undefined) continue;
        await file.write(chunk);
        written = next;
        this.result.bytes += chunk.length;
      }
    } catch (err) {
      refusedFor ??= err instanceof StopExtraction ? 'not read to its end' : `unreadable: ${(err as Error).message}`;
      if (err instanceof StopExtraction) {
        await this.discard(file, target, written);
        this.refuse(name, refusedFor);
        throw err;
      }
    }
    if (refusedFor !== undefined) {
      await this.discard(file, target, written);
      this.refuse(name, refusedFor);
      return;
    }
    await file.close();
    this.result.files++;
  }

  private async discard(file: Awaited<ReturnType<typeof open>>, target: string, written: number): Promise<void> {
    this.result.bytes -= written;
    await file.close();
    await unlink(target).catch(() => undefined);
  }

  /**
   * Why an entry must stop once it has `bytes` (the next `chunk` included), from `compressed`
   * compressed bytes, if it must.
   */
  private overLimit(bytes: number, chunk: number, compressed: number | undefined): string | undefined {
    const l = this.limits;
    if (bytes > l.maxEntryBytes) return `more than ${formatBytes(l.maxEntryBytes)} uncompressed (the limit per entry)`;
    if (this.result.bytes + chunk > l.maxTotalBytes) return `the archive's extracted bytes passed the ${formatBytes(l.maxTotalBytes)} limit`;
    if (compressed !== undefined && bytes >= l.ratioFloorBytes) {
      // Compressed bytes are counted in reads of up to 64 KiB: below that the figure says little,
      // so it is never taken as less (a true bomb is still far over the ratio).
      const ratio = bytes / Math.max(COMPRESSED_GRAIN, compressed);
      if (ratio > l.maxRatio) {
        const from = compressed < COMPRESSED_GRAIN ? `at most ${formatBytes(COMPRESSED_GRAIN)}` : formatBytes(compressed);
        return `compression ratio over ${l.maxRatio}:1 (${formatBytes(bytes)} from ${from}): a compression bomb?`;
      }
    }
    return undefined;
  }

  async directory(admission: Extract<Admission, { write: true }>): Promise<void> {
    await mkdir(admission.target, { recursive: true });
  }
}
