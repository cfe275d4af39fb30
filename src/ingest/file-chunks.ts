/**
 * A file's bytes, chunk by chunk, read at positions through a bounded set of open handles.
 *
 * Why: a batch read merges every source by time (merge.ts), so every source is started at once
 * and each stays open until its last event is merged. With a stream per file, a folder of 20,000
 * small logs ran out of file descriptors (EMFILE) and lost the files past the limit: 1,763 of
 * 2,000 under `ulimit -n 256` (macOS's default), 19 of 20,000 under 20,000. Here at most
 * MAX_OPEN handles are open at any time, and a handle is only in use for the length of one read:
 * one that is idle is closed when another file needs a handle, and its file is opened again at
 * its next read, from where it was. A process allowed fewer files than that (EMFILE) holds to
 * what it has open at that moment. Nothing waits for a handle longer than one read of another
 * file, so no number of sources can hang the merge.
 *
 * A file reopened must be the one that was read (same device and inode): one replaced in the
 * meantime is reported, never read from the middle of another file. Pipes and other files that
 * cannot be read at a position (a FIFO given by name) keep their handle and are read in order.
 */
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

/** Handles open at once for reading sources: well under the usual limits (256 on macOS, 1,024 on Linux). */
export const MAX_OPEN = 128;

interface Slot {
  readonly path: string;
  fh: FileHandle | undefined;
}

/** The open handles, the idle ones in least-recently-used order. */
export class HandlePool {
  private opened = 0;
  private readonly idle = new Set<Slot>();
  private readonly waiting: (() => void)[] = [];

  constructor(private max: number) {}

  /** Open handles now (tests). */
  get size(): number {
    return this.opened;
  }

  /** The slot's handle, opened (or opened again) if need be; in use until release(). */
  async acquire(slot: Slot): Promise<FileHandle> {
    if (slot.fh) {
      this.idle.delete(slot);
      return slot.fh;
    }
    for (;;) {
      while (this.opened >= this.max) {
        const lru = this.idle.values().next();
        if (lru.done) await new Promise<void>((resolve) => this.waiting.push(resolve));
        else await this.shut(lru.value);
      }
      this.opened++;
      try {
        slot.fh = await open(slot.path, 'r');
        return slot.fh;
      } catch (err) {
        this.opened--;
        const code = (err as NodeJS.ErrnoException).code;
        if ((code === 'EMFILE' || code === 'ENFILE') && this.opened > 0) {
          // The process may open fewer files than `max` (ulimit -n, other handles): hold to
          // what is open now, and take a handle from another file.
          this.max = this.opened;
          continue;
        }
        this.wake();
        throw err;
      }
    }
  }

  /** The read is done: the handle stays open, and may be closed for another file. */
  release(slot: Slot): void {
    if (slot.fh) this.idle.add(slot);
    this.wake();
  }

  /** The file is read to its end (or given up): its handle is closed. */
  async shut(slot: Slot): Promise<void> {
    this.idle.delete(slot);
    const fh = slot.fh;
    if (!fh) return;
    slot.fh = undefined;
    this.opened--;
    this.wake();
    await fh.close().catch(() => undefined);
  }

  private wake(): void {
    this.waiting.shift()?.();
  }
}

const pool = new HandlePool(MAX_OPEN);

/** The bytes of the file at `path`, `chunkBytes` at a time, through `handles` (one pool for the process by default). */
export async function* fileChunks(path: string, chunkBytes: number, handles: HandlePool = pool): AsyncGenerator<Buffer> {
  const slot: Slot = { path, fh: undefined };
  try {
    const first = await handles.acquire(slot);
    const st = await first.stat();
    if (!st.isFile()) {
      // A pipe has no positions: read in order through its handle, which it keeps.
      for await (const chunk of createReadStream('', { fd: first, highWaterMark: chunkBytes, autoClose: false })) yield chunk as Buffer;
      return;
    }
    for (let pos = 0; ; ) {
      // The first read uses the handle opened above; later ones may have to open it again.
      const reopened = slot.fh === undefined;
      const fh = await handles.acquire(slot);
      let chunk: Buffer;
      try {
        if (reopened) {
          const now = await fh.stat();
          if (now.dev !== st.dev || now.ino !== st.ino) throw new Error(`the file was replaced while it was read (after ${pos} bytes)`);
        }
        const buf = Buffer.allocUnsafe(chunkBytes);
        const { bytesRead } = await fh.read(buf, 0, chunkBytes, pos);
        // A short read (a small file, the end of one) is copied out, so that 1 MiB is not held per source.
        chunk = bytesRead < chunkBytes / 2 ? Buffer.from(buf.subarray(0, bytesRead)) : buf.subarray(0, bytesRead);
      } finally {
        handles.release(slot);
      }
      if (chunk.length > 0) yield chunk;
      // A short read is the file's end as it is now: a small file is opened once, read once.
      if (chunk.length < chunkBytes) return;
      pos += chunk.length;
    }
  } finally {
    await handles.shut(slot);
  }
}
