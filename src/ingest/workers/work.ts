/**
 * How much parsing a file is, to share files between parse workers (pool.ts) so that they finish
 * together. By bytes alone the scale-20 bundle's two workers had 6.3 and 5.2 s of work for `-o
 * json` (4.4 and 3.7 for text): a CoreDNS log costs about 100 ms a MB, an audit log about 37, as
 * a line costs as much as a few hundred of its bytes whatever its length (the events, the fields,
 * the output line's parts), and CoreDNS lines are short (160 bytes) where audit lines are long
 * (820). Fitted over the bundle's 12 large files (one worker's time per source, each source's
 * batches made one at a time): `-o json` 28.5 ms a MB plus 12.1 ms per thousand lines (a line
 * weighs as 426 bytes), text 23.5 ms and 7.4 ms (316 bytes); the split by bytes + 400 per line
 * leaves the busier worker 5.8 s for json (4.1 for text), the best split 5.8 (4.0).
 *
 * The lines are estimated from the file's head: its newlines in the first 64 KiB (of a gzip
 * file's first 16 KiB, inflated), scaled to its size.
 */
import { open } from 'node:fs/promises';
import { constants, gunzipSync } from 'node:zlib';

/** What a line costs beside its bytes, in bytes. */
export const LINE_WEIGHT = 400;
const HEAD_BYTES = 64 * 1024;
const GZIP_HEAD_BYTES = 16 * 1024;

/** The share of a file's bytes that are newlines, from its head (0 when it has none). */
export function newlineShare(head: Uint8Array): number {
  if (head.length === 0) return 0;
  let n = 0;
  let at = head.indexOf(10);
  while (at >= 0) {
    n++;
    at = head.indexOf(10, at + 1);
  }
  return n / head.length;
}

/** The head of what reading the file yields: its first bytes, or a gzip file's first ones inflated. */
async function headOf(path: string): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buf, 0, HEAD_BYTES, 0);
    const head = buf.subarray(0, bytesRead);
    if (bytesRead < 2 || head[0] !== 0x1f || head[1] !== 0x8b) return head;
    // A cut stream inflates as far as it goes (SYNC_FLUSH: no error at its end).
    const inflated = gunzipSync(head.subarray(0, GZIP_HEAD_BYTES), { finishFlush: constants.Z_SYNC_FLUSH });
    return inflated.subarray(0, HEAD_BYTES);
  } finally {
    await handle.close();
  }
}

/**
 * A file's work, in bytes: `bytes` (what reading it yields, input-bytes.ts) plus LINE_WEIGHT per
 * line it is estimated to hold. A head that cannot be read or inflated counts its bytes alone.
 */
export async function fileWork(path: string, bytes: number): Promise<number> {
  const share = await headOf(path).then(newlineShare, () => 0);
  return bytes + LINE_WEIGHT * Math.round(bytes * share);
}
