/**
 * What identifies a file's content cheaply: its size and a hash of its first and last 64 KiB.
 * Re-ingesting a file with the same path and fingerprint is skipped; a file that grew, shrank or
 * was rotated gets a new fingerprint and replaces its old events. Reading 128 KiB is cheap even
 * for multi-GiB logs, and appended lines always change the tail.
 */
import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import { resolve } from 'node:path';

const EDGE_BYTES = 64 * 1024;

export interface SourceMeta {
  /** Resolved absolute path, or '-' for stdin (never skipped, never replaced). */
  path: string;
  /** The name events carry in source.file. */
  display: string;
  /**
   * The cluster the file belongs to (`ingest --cluster`, else the bundle's own name): its events
   * are stored under it and correlated with that cluster's events only. '' is a name too (the
   * cluster of a store written before the label, or of input with no name of its own).
   */
  cluster: string;
  size?: number;
  /** Epoch milliseconds. */
  mtime?: number;
  fingerprint?: string;
  envelope?: string;
}

export async function fingerprintFile(path: string): Promise<{ size: number; mtime: number; fingerprint: string }> {
  const handle = await open(path, 'r');
  try {
    const st = await handle.stat();
    const size = st.size;
    const hash = createHash('sha256');
    hash.update(`${size}\n`);
    const head = Buffer.alloc(Math.min(EDGE_BYTES, size));
    await handle.read(head, 0, head.length, 0);
    hash.update(head);
    if (size > EDGE_BYTES) {
      const tailLength = Math.min(EDGE_BYTES, size - EDGE_BYTES);
      const tail = Buffer.alloc(tailLength);
      await handle.read(tail, 0, tailLength, size - tailLength);
      hash.update(tail);
    }
    return { size, mtime: Math.floor(st.mtimeMs), fingerprint: hash.digest('hex') };
  } finally {
    await handle.close();
  }
}

/** The SourceMeta of a file (or of stdin, for '-'), in a cluster. */
export async function describeSource(path: string, display: string = path, cluster = ''): Promise<SourceMeta> {
  if (path === '-') return { path: '-', display, cluster };
  const abs = resolve(path);
  const st = await stat(abs);
  if (!st.isFile()) return { path: abs, display, cluster, size: st.size, mtime: Math.floor(st.mtimeMs) };
  return { path: abs, display, cluster, ...(await fingerprintFile(abs)) };
}
