/**
 * Follow mode's rule for files that are copies of what was already read.
 *
 * Rotation makes copies: copytruncate copies the live file to `x.log.1` and truncates it; a
 * compressor turns `x.log.1` into `x.log.1.gz`; kubelet turns `0.log` into
 * `0.log.20250321-145123` then gzips it. Their lines were read from the live file (or from the
 * renamed one, which is followed by its inode), so reading such a file from its start would
 * double them.
 *
 * The rule. Every stream we read keeps a fingerprint: its first bytes (up to HEAD_BYTES, after
 * gunzip) and how many bytes of it were read. A new file whose name is a rotation name (or which
 * is gzip) is compared with the fingerprints of the same folder and the same stem (the name
 * without rotation suffix and .gz): when its first bytes equal the start of one that was read, it
 * is a copy of that stream, and only its bytes past what was read are new (the lines written
 * between our last read and the copy: copytruncate's window). Otherwise it is a new file, read
 * from its start. The first 4 KiB of a log hold several timestamped lines, so two different
 * streams of one log cannot begin alike; a copy always does.
 */
import type { FileHandle } from 'node:fs/promises';
import { readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { splitRotation } from './discover.js';

/** Bytes of a stream's start kept to recognize its copies. */
export const HEAD_BYTES = 4096;

/** What was read of one stream (a followed file, or an earlier generation of one). */
export interface ReadFingerprint {
  dir: string;
  /** The file name without rotation suffix and without .gz (kubelet.log.1.gz -> kubelet.log). */
  stem: string;
  /** The stream's first bytes, up to HEAD_BYTES (fewer when it was shorter). */
  head: Buffer;
  /** Bytes of the stream read so far (decompressed bytes for gzip). */
  bytes: number;
}

export interface RotationName {
  dir: string;
  stem: string;
  /** The name is a live file's, not a numbered, dated or compressed rotation. */
  live: boolean;
}

export function rotationName(path: string): RotationName {
  const name = basename(path);
  const { stem, age } = splitRotation(name);
  return { dir: dirname(path), stem, live: age.live && !/\.gz$/i.test(name) };
}

/**
 * How many bytes of a new file (its first bytes `head`, its total size when known) were already
 * read as part of one of `prints`; undefined when it is not a copy of any. `head` holds the
 * file's first bytes up to HEAD_BYTES (all of it when shorter).
 */
export function alreadyRead(
  path: string,
  head: Buffer,
  size: number | undefined,
  prints: Iterable<ReadFingerprint>,
): number | undefined {
  if (head.length === 0) return undefined;
  const { dir, stem } = rotationName(path);
  let best: number | undefined;
  for (const p of prints) {
    if (p.dir !== dir || p.stem !== stem || p.bytes === 0 || p.head.length === 0) continue;
    const common = Math.min(head.length, p.head.length);
    // Both starts agree as far as both go, and one of them is whole within that: either the
    // file is a copy of a prefix of the stream, or the stream's recorded start is all it had.
    const whole = common === p.head.length || common === head.length;
    if (!whole || head.compare(p.head, 0, common, 0, common) !== 0) continue;
    const skip = size === undefined ? p.bytes : Math.min(size, p.bytes);
    if (best === undefined || skip > best) best = skip;
  }
  return best;
}

/** A rotated copy found on disk, open, with more bytes than were read of the stream it copies. */
export interface FoundCopy {
  path: string;
  fh: FileHandle;
  dev: number;
  ino: number;
  size: number;
}

/**
 * The plain rotated copy (not gzip) of a stream just truncated under us (copytruncate): a file
 * in the same folder, of the same stem, under a rotation name, whose start is the stream's
 * (`head`) and which holds more than the `read` bytes read of it. The caller closes its handle.
 * Undefined when there is none (the copy was compressed or removed at once, or there was none).
 */
export async function findCopy(
  dir: string,
  stem: string,
  head: Buffer,
  read: number,
  openFile: (p: string) => Promise<FileHandle>,
): Promise<FoundCopy | undefined> {
  if (head.length === 0) return undefined;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return undefined;
  }
  for (const name of names) {
    const rot = rotationName(join(dir, name));
    if (rot.live || rot.stem !== stem || /\.gz$/i.test(name)) continue;
    const path = join(dir, name);
    let fh: FileHandle | undefined;
    try {
      fh = await openFile(path);
      const st = await fh.stat();
      if (st.isFile() && st.size > read) {
        const first = Buffer.alloc(Math.min(HEAD_BYTES, st.size));
        const { bytesRead } = await fh.read(first, 0, first.length, 0);
        if (alreadyRead(path, first.subarray(0, bytesRead), st.size, [{ dir, stem, head, bytes: read }]) === read) {
          return { path, fh, dev: st.dev, ino: st.ino, size: st.size };
        }
      }
    } catch {
      // Gone or unreadable meanwhile: not the copy we can use.
    }
    await fh?.close().catch(() => undefined);
  }
  return undefined;
}
