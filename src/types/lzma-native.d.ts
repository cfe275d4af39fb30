/** The part of lzma-native (which ships no types) that ktrail uses: a streaming xz decoder. */
declare module 'lzma-native' {
  import type { Transform } from 'node:stream';
  /** A Transform from .xz (or .lzma) bytes to the decompressed bytes. */
  export function createDecompressor(options?: { synchronous?: boolean }): Transform;
  const lzma: { createDecompressor: typeof createDecompressor };
  export default lzma;
}
