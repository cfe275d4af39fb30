/**
 * Writing a command's output to a stream (stdout, a pipe, a file) with back-pressure: text is
 * gathered into chunks, and when the stream's buffer is full the caller is told to wait for
 * 'drain'. Without this a fast producer fills the stream's buffer without bound (the memory grows
 * with the input, and a large buffer is copied over and over as it grows).
 */
import type { Writable } from 'node:stream';
import { drained } from '../util/drain.js';

export interface OutputWriter {
  /** Queues text; returns a promise when the caller should wait before writing more. */
  write(text: string): Promise<void> | undefined;
  /** Writes what is queued; resolves once the stream has taken it. */
  flush(): Promise<void>;
  /** True once the reader went away (EPIPE) or the stream was destroyed: stop producing. */
  closed(): boolean;
}

/** Text is handed to the stream in chunks of about this size (fewer, larger write calls). */
export const CHUNK_CHARS = 64 * 1024;

export function createOutputWriter(out: Writable | NodeJS.WriteStream, chunkChars = CHUNK_CHARS): OutputWriter {
  let pending = '';
  let closed = false;
  out.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') closed = true;
    else throw err;
  });
  const isClosed = (): boolean => closed || out.destroyed || out.writableEnded;

  function push(): Promise<void> | undefined {
    const text = pending;
    pending = '';
    if (!text || isClosed()) return undefined;
    return out.write(text) ? undefined : drained(out);
  }

  return {
    write(text) {
      pending += text;
      return pending.length >= chunkChars ? push() : undefined;
    },
    flush() {
      return push() ?? Promise.resolve();
    },
    closed: isClosed,
  };
}
