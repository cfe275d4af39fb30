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
 * The lines are estimated from the file's head as reading sees it (framing.ts readHead: a gzip
 * file's inflated, in its encoding): its line ends in the first 64 KiB, scaled to its size.
 */
import { countLineEnds, readHead } from '../framing.js';

/** What a line costs beside its bytes, in bytes. */
export const LINE_WEIGHT = 400;
const HEAD_BYTES = 64 * 1024;

/**
 * A file's work, in bytes: `bytes` (what reading it yields, input-bytes.ts) plus LINE_WEIGHT per
 * line it is estimated to hold. A head that cannot be read or inflated counts its bytes alone.
 */
export async function fileWork(path: string, bytes: number): Promise<number> {
  const lines = await readHead(path, HEAD_BYTES).then(
    (head) => (head.bytes.length === 0 ? 0 : Math.round((bytes * countLineEnds(head.bytes, head.encoding)) / head.bytes.length)),
    () => 0,
  );
  return bytes + LINE_WEIGHT * lines;
}
