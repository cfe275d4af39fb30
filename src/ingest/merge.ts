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

function earlier(a: KEvent, b: KEvent): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}

interface Cursor {
  batch: KEvent[];
  index: number;
  it: AsyncIterator<KEvent[]>;
}

async function fill(it: AsyncIterator<KEvent[]>): Promise<Cursor | undefined> {
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

export async function* mergeByTime(
  sources: AsyncIterable<KEvent[]>[],
  opts: MergeOptions = {},
): AsyncGenerator<KEvent[]> {
  const windowSize = opts.window ?? 4096;
  const outSize = opts.batch ?? 1024;
  const heads = new MinHeap<Cursor>((a, b) => earlier(a.batch[a.index]!, b.batch[b.index]!));
  const started = await Promise.all(sources.map((s) => fill(s[Symbol.asyncIterator]())));
  for (const c of started) if (c) heads.push(c);

  const window = new MinHeap<KEvent>(earlier);
  let out: KEvent[] = [];
  while (heads.size > 0) {
    // The earliest head moves into the window; once the window is full, its earliest goes out
    // (one sift each: updateTop and replaceTop rather than pop and push).
    const cursor = heads.peek()!;
    const e = cursor.batch[cursor.index++]!;
    if (window.size < windowSize) window.push(e);
    else if (earlier(e, window.peek()!)) out.push(e);
    else out.push(window.replaceTop(e));
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
        while (window.size > 0) out.push(window.pop()!);
        if (out.length) yield out;
        out = [];
      }
    }
    if (out.length >= outSize) {
      yield out;
      out = [];
    }
  }
  while (window.size > 0) out.push(window.pop()!);
  if (out.length) yield out;
}
