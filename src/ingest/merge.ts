/**
 * One stream ordered by time across all sources, in bounded memory: a k-way merge over the
 * sources' batches (each source is read only as fast as the merge consumes it), followed by a
 * small reorder window that absorbs the local disorder real logs have (a klog header's time a
 * little before the previous record's envelope time, interleaved streams in one file).
 * A source yields an empty batch to say it has nothing more for now (a live pipe gone quiet):
 * the window is then handed on whole (source-reader.ts says when a pipe does so).
 */
import type { KEvent } from '../model/event.js';
import { lineCount, type LineBatch } from '../output/line-batch.js';
import { MinHeap } from '../util/heap.js';

/** What the merge reads of an event: whole events, or rendered ones (src/output/render.ts). */
export type Timed = Pick<KEvent, 'time' | 'seq'>;

function earlier(a: Timed, b: Timed): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}

/**
 * Where a key goes in a window sorted from `head` to `end`, given `before(k)`: whether it comes
 * before the k-th held key. What the k-way merge hands a window is nearly in order, so this is
 * usually 0-1 steps back from the end; a longer run of disorder is placed by binary search. Both
 * windows (events, and lines as columns) place their items here.
 */
function placeFromEnd(head: number, end: number, before: (k: number) => boolean): number {
  let i = end;
  for (let steps = 0; i > head && before(i - 1); steps++, i--) {
    if (steps === 8) {
      let lo = head;
      let hi = i - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (before(mid)) hi = mid;
        else lo = mid + 1;
      }
      return lo;
    }
  }
  return i;
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

  /** The event being placed, read by `beforeHeld` (one closure per window, none per event). */
  private placing!: T;
  private readonly beforeHeld = (k: number): boolean => earlier(this.placing, this.items[k]!);

  insert(e: T): void {
    const a = this.items;
    this.placing = e;
    const i = placeFromEnd(this.head, a.length, this.beforeHeld);
    if (i === a.length) a.push(e);
    else a.splice(i, 0, e);
  }
}

/** A source's place in the merge: its current batch (events or lines) and the next item in it. */
interface Cursor<B> {
  batch: B;
  index: number;
  it: AsyncIterator<B>;
}

const eventCount = <T>(batch: T[]): number => batch.length;

async function fill<B>(it: AsyncIterator<B>, count: (batch: B) => number): Promise<Cursor<B> | undefined> {
  for (;;) {
    const next = await it.next();
    if (next.done) return undefined;
    if (count(next.value)) return { batch: next.value, index: 0, it };
  }
}

/**
 * A head whose batch is spent (and popped) takes its source's next batch and goes back on the
 * heads, or is dropped at the source's end. True when the source gave an empty batch instead: it
 * (a live pipe) has nothing more for now, and what the merge holds should go out rather than wait
 * for input that may come in minutes; then call again.
 */
async function refill<B>(heads: MinHeap<Cursor<B>>, cursor: Cursor<B>, count: (batch: B) => number): Promise<boolean> {
  const next = await cursor.it.next();
  if (next.done) return false;
  if (!count(next.value)) return true;
  cursor.batch = next.value;
  cursor.index = 0;
  heads.push(cursor);
  return false;
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
  const heads = new MinHeap<Cursor<T[]>>((a, b) => earlier(a.batch[a.index]!, b.batch[b.index]!));
  const started = await Promise.all(sources.map((s) => fill(s[Symbol.asyncIterator](), eventCount)));
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
      while (await refill(heads, cursor, eventCount)) {
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

/**
 * Lines of the merged stream, in output order: line `at[k]` of batch `from[k]`. The lines stay in
 * their batches' bytes (src/output/render.ts); a batch is dropped once no pick holds it.
 */
export interface Picks {
  from: LineBatch[];
  at: number[];
}

function earlierLine(a: Cursor<LineBatch>, b: Cursor<LineBatch>): boolean {
  const ta = a.batch.time[a.index]!;
  const tb = b.batch.time[b.index]!;
  return ta < tb || (ta === tb && a.batch.seq[a.index]! < b.batch.seq[b.index]!);
}

/** Whether (time, seq) comes before the k-th key of the columns. */
function keyBefore(time: number, seq: number, t: readonly number[], s: readonly number[], k: number): boolean {
  return time < t[k]! || (time === t[k]! && seq < s[k]!);
}

/**
 * The reorder window of mergeLines, as SortedWindow is mergeByTime's, over columns: each held line
 * is its batch, its index and its (time, seq) key, in four arrays, not an object per line.
 */
class LineWindow {
  private b: LineBatch[] = [];
  private i: number[] = [];
  private t: number[] = [];
  private s: number[] = [];
  private head = 0;

  get size(): number {
    return this.t.length - this.head;
  }

  /** Whether (time, seq) comes before the earliest held line (the window must not be empty). */
  beforeFirst(time: number, seq: number): boolean {
    return keyBefore(time, seq, this.t, this.s, this.head);
  }

  /** Moves the earliest held line to the picks. */
  shiftTo(out: Picks): void {
    const h = this.head++;
    out.from.push(this.b[h]!);
    out.at.push(this.i[h]!);
    if (this.head >= 1024 && this.head * 2 >= this.t.length) {
      this.b = this.b.slice(this.head);
      this.i = this.i.slice(this.head);
      this.t = this.t.slice(this.head);
      this.s = this.s.slice(this.head);
      this.head = 0;
    }
  }

  /** The key being placed, read by `beforeHeld` (one closure per window, none per line). */
  private placingTime = 0;
  private placingSeq = 0;
  private readonly beforeHeld = (k: number): boolean => keyBefore(this.placingTime, this.placingSeq, this.t, this.s, k);

  insert(b: LineBatch, i: number, time: number, seq: number): void {
    const t = this.t;
    const s = this.s;
    this.placingTime = time;
    this.placingSeq = seq;
    const k = placeFromEnd(this.head, t.length, this.beforeHeld);
    if (k === t.length) {
      this.b.push(b);
      this.i.push(i);
      t.push(time);
      s.push(seq);
    } else {
      this.b.splice(k, 0, b);
      this.i.splice(k, 0, i);
      t.splice(k, 0, time);
      s.splice(k, 0, seq);
    }
  }
}

/**
 * mergeByTime over batches of rendered lines: the same order (the heads' k-way merge, then the
 * reorder window; the order is total, so the same lines come out in the same order), read from
 * the batches' columns, with an empty batch handing the window on whole as there.
 */
export async function* mergeLines(sources: AsyncIterable<LineBatch>[], opts: MergeOptions = {}): AsyncGenerator<Picks> {
  const windowSize = opts.window ?? 4096;
  const outSize = opts.batch ?? 1024;
  const heads = new MinHeap<Cursor<LineBatch>>(earlierLine);
  const started = await Promise.all(sources.map((s) => fill(s[Symbol.asyncIterator](), lineCount)));
  for (const c of started) if (c) heads.push(c);

  const window = new LineWindow();
  let out: Picks = { from: [], at: [] };
  while (heads.size > 0) {
    const cursor = heads.peek()!;
    const b = cursor.batch;
    const i = cursor.index++;
    const time = b.time[i]!;
    const seq = b.seq[i]!;
    if (window.size < windowSize) window.insert(b, i, time, seq);
    else if (window.beforeFirst(time, seq)) {
      out.from.push(b);
      out.at.push(i);
    } else {
      window.shiftTo(out);
      window.insert(b, i, time, seq);
    }
    if (cursor.index < lineCount(b)) {
      heads.updateTop();
    } else {
      heads.pop();
      while (await refill(heads, cursor, lineCount)) {
        while (window.size > 0) window.shiftTo(out);
        if (out.at.length) yield out;
        out = { from: [], at: [] };
      }
    }
    if (out.at.length >= outSize) {
      yield out;
      out = { from: [], at: [] };
    }
  }
  while (window.size > 0) window.shiftTo(out);
  if (out.at.length) yield out;
}
