/**
 * `--fix-skew`: each host's events moved by minus its clock's estimated offset (skew.ts), so that
 * the merged stream orders the hosts' lines as they happened. The estimate needs every host's
 * lines, so the inputs are read twice: once to estimate, once to print (a pipe cannot be read
 * twice: the command refuses it). The second read's merged stream is shifted and put back in
 * order with a window as wide as the offsets' spread: an event moved by at most that much cannot
 * be overtaken by one not read yet, so the result is the merge of the shifted hosts.
 */
import type { KEvent } from '../model/event.js';
import { MinHeap } from '../util/heap.js';
import { clockOf, type SkewReport } from './skew.js';

/** clock -> microseconds to subtract; hosts without an estimate, and the reference, are left out. */
export function offsetsToFix(report: SkewReport): Map<string, number> {
  const out = new Map<string, number>();
  for (const h of report.hosts) if (!h.reference && h.offsetUs !== null && h.offsetUs !== 0) out.set(h.host, h.offsetUs);
  return out;
}

/** The events of `batches` (merged, in time order), each host's moved back by its offset, in order again. */
export async function* shiftedBatches(batches: AsyncIterable<KEvent[]>, offsets: ReadonlyMap<string, number>): AsyncGenerator<KEvent[]> {
  if (offsets.size === 0) {
    yield* batches;
    return;
  }
  const values = [...offsets.values(), 0];
  // A shifted event is later than its input time by at most -min(offset); an event read later
  // lands no earlier than (its input time) - max(offset).
  const maxOff = Math.max(...values);
  const heap = new MinHeap<KEvent>((a, b) => a.time < b.time || (a.time === b.time && a.seq < b.seq));
  let watermark = Number.NEGATIVE_INFINITY;
  for await (const batch of batches) {
    const out: KEvent[] = [];
    for (const e of batch) {
      if (e.time > watermark) watermark = e.time;
      const off = e.time ? offsets.get(clockOf(e)) : undefined;
      heap.push(off ? { ...e, time: e.time - off } : e);
    }
    const safe = watermark - maxOff;
    while (heap.size > 0 && heap.peek()!.time < safe) out.push(heap.pop()!);
    if (out.length) yield out;
  }
  const rest: KEvent[] = [];
  while (heap.size > 0) rest.push(heap.pop()!);
  if (rest.length) yield rest;
}
