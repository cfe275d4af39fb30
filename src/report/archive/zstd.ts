/**
 * The zstd layer of a .tar.zst, through libzstd (zstd-napi's binding to ZSTD_decompressStream;
 * Node 20's zlib has no zstd).
 *
 * Why the binding's context and not its DecompressStream: that Transform turns each input chunk
 * into all of its output before it returns, and zstd reaches tens of thousands to one (200 MB of
 * zeros compress to 6.5 KiB), so one 2 KiB chunk came out as 120 MiB at once, in memory and past
 * the extraction's ratio check. Here output is made 128 KiB at a time, and only as the reader
 * asks for it: memory stays bounded whatever the ratio, and the ratio check sees every step.
 *
 * Why not the pure-JS fzstd: it copies its whole window for every block, so a crafted 16 KiB
 * .zst of tiny blocks under a 128 MiB window kept it busy for 75 s (measured); libzstd decodes it
 * in milliseconds. libzstd also checks frame checksums, and refuses windows past 2^27 = 128 MiB
 * (the zstd tool's own default without --memory) before allocating them.
 */
import binding from 'zstd-napi/binding.js';

const WINDOW_LOG_MAX = 27;

/** The decompressed bytes of the zstd frames in `source`, 128 KiB at most at a time, as they are asked for. */
export async function* unzstd(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const dctx = new binding.DCtx();
  dctx.setParameter(binding.DParameter.windowLogMax, WINDOW_LOG_MAX);
  const outSize = binding.dStreamOutSize();
  let inFrame = false;
  let seen = 0;
  for await (const chunk of source) {
    seen += chunk.length;
    let src = chunk;
    for (;;) {
      const dst = Buffer.allocUnsafe(outSize);
      const [left, produced, consumed] = dctx.decompressStream(dst, src);
      src = src.subarray(consumed);
      if (produced > 0) yield dst.subarray(0, produced);
      // Done with this chunk once it is all taken in and nothing is waiting to be flushed (an
      // output buffer filled to the brim may have more behind it).
      if (src.length === 0 && (produced < dst.length || left === 0)) {
        inFrame = left !== 0;
        break;
      }
    }
  }
  if (seen === 0) throw new Error('empty file: no zstd frame');
  if (inFrame) throw new Error('the zstd data ends in the middle of a frame (cut short?)');
}
