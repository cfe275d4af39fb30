/**
 * One stream ordered by time across all sources, in bounded memory: a k-way merge over the
 * sources' batches (each source is read only as fast as the merge consumes it), followed by a
 * small reorder window that absorbs the local disorder real logs have (a klog header's time a
 * little before the previous record's envelope time, interleaved streams in one file).
 * A source yields an empty batch to say it has nothing more for now (a live pipe gone quiet):
 * the window is then handed on whole (source-reader.ts says when a pipe does so).
 */
import type { KEvent } from '../model/event.js';
import { MinHeap } from '../util/heap.js';

/** What the merge reads of an event: whole events, or rendered ones (src/output/render.ts). */
export type Timed = Pick<KEvent, 'time' | 'seq'>;

function earlier(a: Timed, b: Timed): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}

/**
 * The reorder window: events kept sorted in an array, taken from the front. What the k-way merge
 * hands it is nearly in order, so an event almost always goes at the end or a few places before
 * it (a look back of a few compares, else a binary search and one move of the tail), where a heap
 * costs two compares per level on every event (measured: the heap window was 5-10% of reading's
 * CPU). The output is the same: the order is total (time, then seq).
 */
class SortedWindow<T extends Timed> {
  private items: T[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  /** The earliest event (the window must not be empty). */
  first(): T {
    return this.items[this.head]!;
  }

  shift(): T {
    const e = this.items[this.head++]!;
    // The taken front is dropped once it is as long as what is held: amortized O(1) per event.
    if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return e;
  }

  insert(e: T): void {
    const a = this.items;
    let i = a.length;
    // Usually 0-1 steps back; a longer run of disorder is placed by binary search.
    for (let steps = 0; i > this.head && earlier(e, a[i - 1]!); steps++, i--) {
      if (steps === 8) {
        let lo = this.head;
        let hi = i - 1;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (earlier(e, a[mid]!)) hi = mid;
          else lo = mid + 1;
        }
        i = lo;
        break;
      }
    }
    if (i === a.length) a.push(e);
    else a.splice(i, 0, e);
  }
}

interface Cursor<T> {
  batch: T[];
  index: number;
  it: AsyncIterator<T[]>;
}

async function fill<T>(it: AsyncIterator<T[]>): Promise<Cursor<T> | undefined> {
  for (;;) {
    const next = await it.next();
    if (next.done) return undefined;
    if (next.value.length) return { batch: next.value, index: 0, it };
  }
}

export interface MergeOptions {
  /** Events held back to reorder locally disordered input. */
  window?: number;
  /** Events per output batch. */
  batch?: number;
}

export async function* mergeByTime<T extends Timed>(sources: AsyncIterable<T[]>[], opts: MergeOptions = {}): AsyncGenerator<T[]> {
  const windowSize = opts.window ?? 4096;
  const outSize = opts.batch ?? 1024;
  const heads = new MinHeap<Cursor<T>>((a, b) => earlier(a.batch[a.index]!, b.batch[b.index]!));
  const started = await Promise.all(sources.map((s) => fill(s[Symbol.asyncIterator]())));
  for (const c of started) if (c) heads.push(c);

  const window = new SortedWindow<T>();
  let out: T[] = [];
  while (heads.size > 0) {
    // The earliest head moves into the window; once the window is full, its earliest goes out
    // (the heads' top is re-placed in one sift rather than popped and pushed).
    const cursor = heads.peek()!;
    const e = cursor.batch[cursor.index++]!;
    if (window.size < windowSize) window.insert(e);
    else if (earlier(e, window.first())) out.push(e);
    else {
      out.push(window.shift());
      window.insert(e);
    }
    if (cursor.index < cursor.batch.length) {
      heads.updateTop();
    } else {
      heads.pop();
      for (;;) {
        const next = await cursor.it.next();
        if (next.done) break;
        if (next.value.length) {
          cursor.batch = next.value;
          cursor.index = 0;
          heads.push(cursor);
          break;
        }
        // An empty batch: the source (a live pipe) has nothing more for now. What is held goes
        // out rather than wait for input that may come in minutes.
        while (window.size > 0) out.push(window.shift());
        if (out.length) yield out;
        out = [];
      }
    }
    if (out.length >= outSize) {
      yield out;
      out = [];
    }
  }
  while (window.size > 0) out.push(window.shift());
  if (out.length) yield out;
}
