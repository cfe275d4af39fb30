/**
 * How many bytes reading a file will yield: what the progress bar counts towards (cli/progress.ts)
 * and how the files are shared between parse workers (ingest/run.ts), where a gzip file's size on
 * disk would undercount its work several times over.
 */
import { open } from 'node:fs/promises';

/** Bytes a file will yield when read: its size, or a gzip file's uncompressed size (mod 4 GiB). */
export async function inputBytes(path: string): Promise<number> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size < 18) return size;
    const head = Buffer.alloc(2);
    await handle.read(head, 0, 2, 0);
    if (head[0] !== 0x1f || head[1] !== 0x8b) return size;
    const trailer = Buffer.alloc(4);
    await handle.read(trailer, 0, 4, size - 4);
    return Math.max(size, trailer.readUInt32LE(0));
  } finally {
    await handle.close();
  }
}
