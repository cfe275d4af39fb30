/**
 * Writing a command's output to a stream (stdout, a pipe, a file) with back-pressure: text is
 * encoded straight into chunks of bytes, and when the stream's buffer is full the caller is told
 * to wait for 'drain'. Without this a fast producer fills the stream's buffer without bound (the
 * memory grows with the input, and a large buffer is copied over and over as it grows).
 *
 * Why bytes and not a string of the chunk's lines: each line was concatenated onto a string,
 * which the stream then flattened (one more copy of the chunk on the heap) before encoding it to
 * UTF-8; writing each piece into the chunk's buffer encodes it once and leaves no string behind
 * (`-o json` on the scale-20 bundle, the main thread: writeUtf8String alone was 1.6 s).
 */
import type { Writable } from 'node:stream';
import { drained } from '../util/drain.js';

export interface OutputWriter {
  /** Queues text; returns a promise when the caller should wait before writing more. */
  write(text: string): Promise<void> | undefined;
  /** Queues bytes start..end of `src` (copied now: `src` may be reused or dropped after). */
  bytes(src: Uint8Array, start: number, end: number): Promise<void> | undefined;
  /**
   * Queues bytes start..end of `src` with String(n)'s characters in place of its bytes
   * cutFrom..cutTo: a JSON line with its final sequence number (line-batch.ts), in one call.
   */
  spliced(src: Uint8Array, start: number, cutFrom: number, n: number, cutTo: number, end: number): Promise<void> | undefined;
  /** Writes what is queued; resolves once the stream has taken it. */
  flush(): Promise<void>;
  /** True once the reader went away (EPIPE) or the stream was destroyed: stop producing. */
  closed(): boolean;
}

/** Bytes are handed to the stream in chunks of about this size (fewer, larger write calls). */
export const CHUNK_BYTES = 64 * 1024;

/** A UTF-16 code unit takes at most 3 bytes of UTF-8 (a surrogate pair: 4 bytes for 2 units). */
const MAX_BYTES_PER_UNIT = 3;

/** The most characters String(n) has for a number (`-1.7976931348623157e+308`: 24). */
const MAX_NUMBER_CHARS = 24;

/**
 * String(n)'s characters into `dst` at `at` as bytes (all ASCII); returns where they end. A
 * non-negative safe integer (a sequence number) is written digit by digit: on `-o json` the string
 * made for each line's number, and the encoding call for it, were a tenth of the main thread's
 * writing.
 */
export function putNumber(dst: Buffer, at: number, n: number): number {
  if (!Number.isSafeInteger(n) || n < 0) return at + dst.write(String(n), at, 'latin1');
  let digits = 1;
  for (let rest = n; rest >= 10; rest = Math.floor(rest / 10)) digits++;
  let rest = n;
  for (let i = at + digits - 1; i >= at; i--) {
    const next = Math.floor(rest / 10);
    dst[i] = 48 + (rest - next * 10);
    rest = next;
  }
  return at + digits;
}

export function createOutputWriter(out: Writable | NodeJS.WriteStream, chunkBytes = CHUNK_BYTES): OutputWriter {
  // A chunk is a fresh buffer each time: the stream may hold one it was given until it is written.
  let chunk = Buffer.allocUnsafe(0);
  let used = 0;
  let closed = false;
  out.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') closed = true;
    else throw err;
  });
  const isClosed = (): boolean => closed || out.destroyed || out.writableEnded;

  function push(): Promise<void> | undefined {
    const bytes = chunk.subarray(0, used);
    chunk = Buffer.allocUnsafe(0);
    used = 0;
    if (!bytes.length || isClosed()) return undefined;
    return out.write(bytes) ? undefined : drained(out);
  }

  /** Makes room for `room` more bytes: when full (or the first write) what is there goes out, and a chunk big enough comes. */
  function reserve(room: number): Promise<void> | undefined {
    if (used + room <= chunk.length) return undefined;
    const wait = used > 0 ? push() : undefined;
    chunk = Buffer.allocUnsafe(chunkBytes + room);
    return wait;
  }

  return {
    write(text) {
      const wait = reserve(text.length * MAX_BYTES_PER_UNIT);
      used += chunk.write(text, used);
      return used >= chunkBytes && !wait ? push() : wait;
    },
    bytes(src, start, end) {
      const wait = reserve(end - start);
      chunk.set(src.subarray(start, end), used);
      used += end - start;
      return used >= chunkBytes && !wait ? push() : wait;
    },
    spliced(src, start, cutFrom, n, cutTo, end) {
      const wait = reserve(cutFrom - start + MAX_NUMBER_CHARS + end - cutTo);
      chunk.set(src.subarray(start, cutFrom), used);
      used = putNumber(chunk, used + cutFrom - start, n);
      chunk.set(src.subarray(cutTo, end), used);
      used += end - cutTo;
      return used >= chunkBytes && !wait ? push() : wait;
    },
    flush() {
      return push() ?? Promise.resolve();
    },
    closed: isClosed,
  };
}
