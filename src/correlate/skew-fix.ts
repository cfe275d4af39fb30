/**
 * `--fix-skew`: each host's events moved by minus its clock's estimated offset (skew.ts), so that
 * the merged stream orders the hosts' lines as they happened. The estimate needs every host's
 * lines, so the inputs are read twice: once to estimate, once to print (a pipe cannot be read
 * twice: the command refuses it). The second read's merged stream is shifted and put back in
 * order with a window as wide as the offsets' spread: an event moved by at most that much cannot
 * be overtaken by one not read yet, so the result is the merge of the shifted hosts.
 */
import { createHash } from 'node:crypto';
import type { KEvent } from '../model/event.js';
import { MinHeap } from '../util/heap.js';
import { clockOf, type SkewReport } from './skew.js';

/** clock -> microseconds to subtract; hosts without an estimate, and the reference, are left out. */
export function offsetsToFix(report: SkewReport): Map<string, number> {
  const out = new Map<string, number>();
  for (const h of report.hosts) if (!h.reference && h.offsetUs !== null && h.offsetUs !== 0) out.set(h.host, h.offsetUs);
  return out;
}

/**
 * The events of `batches` (merged, in time order), each host's moved back by its offset, in order
 * again. `onShift` hears of each event moved (its input form, and the clock and offset applied).
 */
export async function* shiftedBatches(
  batches: AsyncIterable<KEvent[]>,
  offsets: ReadonlyMap<string, number>,
  onShift?: (e: KEvent, clock: string, offsetUs: number) => void,
): AsyncGenerator<KEvent[]> {
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
      const clock = e.time ? clockOf(e) : undefined;
      const off = clock === undefined ? undefined : offsets.get(clock);
      if (off) onShift?.(e, clock!, off);
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

/**
 * An input stream (src/ingest/run.ts's shape) with each host's events moved, for the store's
 * ingest: the events come out shifted and in order, and each source's stats record the hosts
 * whose events were moved and by how much (`clockShiftUs`, µs, minus the offset), so the store
 * says how its times were made. Sources with nothing moved get `{}`: fixed, found on time.
 */
export function shiftedStream<S extends { file: string; clockShiftUs?: Record<string, number> }>(
  stream: { stats: readonly S[]; events: AsyncIterable<KEvent[]> },
  offsets: ReadonlyMap<string, number>,
): { stats: readonly S[]; events: AsyncGenerator<KEvent[]> } {
  const moved = new Map<string, Record<string, number>>();
  const note = (e: KEvent, clock: string, off: number): void => {
    let m = moved.get(e.source.file);
    if (!m) moved.set(e.source.file, (m = {}));
    m[clock] = -off;
  };
  async function* withStats(): AsyncGenerator<KEvent[]> {
    yield* shiftedBatches(stream.events, offsets, note);
    // The stats are complete once the events are: each source says what was moved in it.
    for (const s of stream.stats) s.clockShiftUs = moved.get(s.file) ?? {};
  }
  return { stats: stream.stats, events: withStats() };
}

/**
 * The fingerprint a source is stored under when read with --fix-skew: the file's own, marked with
 * the offsets applied. Events stored moved are not the events stored as read (nor moved by other
 * offsets), so the store's "same path, same fingerprint: skip" rule must not take one for the
 * other: ingesting with or without --fix-skew, or with new offsets, reads the file again.
 */
export function fixedFingerprint(fingerprint: string | undefined, offsets: ReadonlyMap<string, number>): string | undefined {
  if (fingerprint === undefined) return undefined; // stdin: never skipped anyway
  const applied = JSON.stringify([...offsets].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
  return `${fingerprint} fix-skew:${createHash('sha256').update(applied).digest('hex').slice(0, 16)}`;
}

/**
 * What a store's sources say of --fix-skew (their stats' `clockShiftUs`): each host moved and by
 * how much, `{}` when they were stored with --fix-skew and nothing needed moving, or undefined
 * when none was stored with it.
 */
export function storedShifts(sources: readonly { stats: unknown }[]): Record<string, number> | undefined {
  let out: Record<string, number> | undefined;
  for (const s of sources) {
    const shift = s.stats && typeof s.stats === 'object' ? (s.stats as { clockShiftUs?: unknown }).clockShiftUs : undefined;
    if (!shift || typeof shift !== 'object') continue;
    out ??= {};
    for (const [host, us] of Object.entries(shift)) if (typeof us === 'number') out[host] = us;
  }
  return out;
}
