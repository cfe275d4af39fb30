/**
 * The main thread's side of parallel parsing: a few worker threads (worker.ts), each reading some
 * of the run's file sources; every source shows here as an async stream of event batches, the
 * same stream readSource gives on the main thread, for the merge to take in time order.
 *
 * - Back-pressure: a batch taken by the merge gives its source one credit back (protocol.ts), so
 *   what is in flight is bounded by sources x BATCHES_AHEAD batches, whatever the input's size,
 *   and half as much again for the sources the merge had to wait on (MAX_BATCHES_AHEAD).
 * - Diagnostics: a source's errors come with the batch they preceded and are said when the merge
 *   takes it, so stderr reads as the one-thread run's does.
 * - A worker that dies (an exception, out of memory) ends its sources with an error naming the
 *   cause; nothing waits on it. close() ends every worker (the reader went away, Ctrl-C, the end).
 */
import { Worker } from 'node:worker_threads';
import type { KEvent } from '../../model/event.js';
import type { LineBatch } from '../../output/line-batch.js';
import type { SourceStats } from '../stats.js';
import { BATCHES_AHEAD, EXTRA_AHEAD_PER_SOURCE, MAX_BATCHES_AHEAD, type FromWorker, type ToWorker, type WireReadOptions, type WireSource } from './protocol.js';

export interface PoolSource {
  src: WireSource;
  opts: WireReadOptions;
  /** How much parsing it is (work.ts: its bytes and lines), to share the work out evenly. */
  work: number;
  /** Filled in place as batches arrive (the caller handed it out already). */
  stats: SourceStats;
  /** A problem with this source (the message names the cause). */
  onError: (message: string) => void;
}

type Item = FromWorker | { t: 'died'; message: string };

/** One source's messages, queued until the merge asks for them. */
class Inbox {
  private readonly queue: Item[] = [];
  private waiting: ((item: Item) => void) | undefined;

  get queued(): number {
    return this.queue.length;
  }

  put(item: Item): void {
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = undefined;
      w(item);
    } else this.queue.push(item);
  }

  take(): Promise<Item> | Item {
    return this.queue.shift() ?? new Promise((resolve) => (this.waiting = resolve));
  }
}

interface Slot {
  worker: Worker;
  /** Sources still open on it, by id. */
  open: Map<number, Inbox>;
}

const WORKER_URL = new URL('./worker.js', import.meta.url);
/**
 * A worker's young generation, in MB. V8's default let each worker's heap float well above what
 * it holds: peak RSS reading the scale-60 bundle was 372 MB with two workers, 286 MB with 8 MB
 * (268 MB with 4, at 3% more CPU in scavenges), against 287 MB on the main thread alone. 16 or
 * 32 MB took 2-6% less CPU for -o json at scale 20, at 264 and 282-288 MB peak RSS against 228-246
 * (side by side, load 4): too near the 300 MB aim.
 */
const WORKER_YOUNG_MB = 8;

export class ParsePool {
  private readonly slots: Slot[] = [];
  private closed = false;
  /** Credits given beyond BATCHES_AHEAD so far, over all sources, and how many may be (open()). */
  private extraAhead = 0;
  private maxExtraAhead = 0;

  /** `workerUrl`: another worker script speaking the same protocol (tests). */
  constructor(size: number, workerUrl: URL = WORKER_URL) {
    for (let i = 0; i < size; i++) {
      const slot: Slot = { worker: new Worker(workerUrl, { resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB } }), open: new Map() };
      slot.worker.on('message', (m: FromWorker) => slot.open.get(m.id)?.put(m));
      const died = (message: string): void => {
        if (this.closed) return; // ended on purpose
        for (const inbox of slot.open.values()) inbox.put({ t: 'died', message });
        slot.open.clear();
      };
      slot.worker.on('error', (err) => died(err instanceof Error ? err.message : String(err)));
      slot.worker.on('exit', (code) => died(`exited with code ${code}`));
      this.slots.push(slot);
    }
  }

  /**
   * One stream per source, in the order given. Sources go to workers largest first, each to the
   * worker with the least work so far.
   */
  open(sources: readonly PoolSource[]): AsyncGenerator<KEvent[] | LineBatch>[] {
    this.maxExtraAhead += EXTRA_AHEAD_PER_SOURCE * sources.length;
    const load = this.slots.map(() => 0);
    const order = sources.map((_, i) => i).sort((a, b) => sources[b]!.work - sources[a]!.work);
    const slotOf: number[] = [];
    for (const i of order) {
      let best = 0;
      for (let w = 1; w < load.length; w++) if (load[w]! < load[best]!) best = w;
      load[best]! += sources[i]!.work;
      slotOf[i] = best;
    }
    return sources.map((s, id) => this.stream(this.slots[slotOf[id]!]!, id, s));
  }

  /** Batches received that the merge has not taken yet, over all sources (bounded by credit). */
  queued(): number {
    let n = 0;
    for (const slot of this.slots) for (const inbox of slot.open.values()) n += inbox.queued;
    return n;
  }

  /** Ends every worker; streams still open end with it. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private async *stream(slot: Slot, id: number, source: PoolSource): AsyncGenerator<KEvent[] | LineBatch> {
    const inbox = new Inbox();
    slot.open.set(id, inbox);
    const post = (m: ToWorker): void => slot.worker.postMessage(m);
    post({ t: 'open', id, src: source.src, opts: source.opts });
    let ended = false;
    let taken = 0;
    let ahead = BATCHES_AHEAD;
    const deepens = source.opts.render !== undefined;
    try {
      for (;;) {
        // The merge took all this source had sent and now waits on it: one more batch ahead for
        // it from now on (protocol.ts, MAX_BATCHES_AHEAD). Not for its first, which every source
        // waits for alike; and only for rendered lines (bytes), not for an ingest's whole events,
        // whose main thread, writing every row, is what the workers wait on.
        if (deepens && inbox.queued === 0 && taken > 0 && ahead < MAX_BATCHES_AHEAD && this.extraAhead < this.maxExtraAhead) {
          ahead++;
          this.extraAhead++;
          post({ t: 'credit', id });
        }
        const item = await inbox.take();
        if (item.t === 'died') {
          ended = true;
          const message = `the parse worker failed (${item.message}) while reading this file: the rest of it was not read`;
          source.stats.errors.push(message);
          source.onError(message);
          return;
        }
        Object.assign(source.stats, item.stats);
        for (const message of item.errors) source.onError(message);
        if (item.t === 'end') {
          ended = true;
          return;
        }
        if (item.t === 'fail') {
          ended = true;
          throw new Error(item.message);
        }
        post({ t: 'credit', id });
        taken++;
        yield item.t === 'lines' ? item.lines : item.events;
      }
    } finally {
      slot.open.delete(id);
      if (!ended && !this.closed) post({ t: 'close', id });
    }
  }
}
