/**
 * The messages between the main thread and a parse worker (pool.ts, worker.ts). One worker reads
 * several sources at once; each source's batches flow under credit: the worker sends a batch only
 * while it holds credit for that source, and the main thread gives one back per batch the merge
 * takes, so a worker never runs more than BATCHES_AHEAD batches ahead of the merge.
 */
import type { SourceHints } from '../../../parsers/types.js';
import type { Component, KEvent } from '../../model/event.js';
import type { LineBatch } from '../../output/line-batch.js';
import type { RenderSpec } from '../../output/render.js';
import type { SourceStats } from '../stats.js';
import type { TwinWriters } from '../source-reader.js';

/**
 * Batches of one source a worker may have sent that the merge has not taken yet. Tried and
 * measured on the scale-20 bundle: 3 or 4 ahead with batches a third or a quarter the size (the
 * same events in flight) left the workers idler and took more CPU (text, load 7: event-loop idle
 * 2.6-3.1 s summed over two against 1.9-2.2); batches sized by a source's share of the bytes (the
 * same total) took -o json to 310 MB peak RSS against 238, with the merge waiting as long.
 * For an ingest (events in their stored form), whose main thread now waits on the workers about
 * 40% of parse+write at scale 20 (cpu-prof; the workers idle too): 6 ahead at the same batch
 * size gave 18.0 and 27.7 s of parse+write against 21.4 and 26.1 (load 2-3.7, alternating:
 * noise) at 422-436 MB peak RSS against 382-412.
 */
export const BATCHES_AHEAD = 2;

/**
 * A source the merge had to wait on (it took every batch the source had sent) is given one more
 * batch ahead, up to MAX_BATCHES_AHEAD, within EXTRA_AHEAD_PER_SOURCE more per source over the
 * pool: at most 1.5 times the batches in flight, and only where the merge asks for them.
 *
 * Why: every source has the same BATCHES_AHEAD, but they are not consumed alike. The merge goes
 * through a dense source's batches (CoreDNS: thousands of lines a second of log time) many times
 * faster than through a sparse one's, and a worker makes its sources' batches in turn, so a dense
 * source ran dry while its worker made others' batches; the merge then waited on it, took nothing
 * from the other worker's sources, and that worker, out of credit on every one of them, idled.
 * Measured on the scale-20 bundle, text (a worker's event-loop idle over its wall time, 4 runs
 * each, alternating, load 4-5): 24% idle with 2 ahead for every source, 10-13% with this (12-19%
 * with at most 4 per source, 8-10% with 16, 7-8% with 2 more per source over the pool); with 2
 * ahead, a worker had every one of its sources out of credit 1.5-1.8 s of a run (its idle: 1.2-1.5
 * s), so the idle was that. Wall and CPU could not be told apart at that load. Peak RSS: text
 * 187-207 MB against 183-207, scale 60 223-247 against 230-232; -o json 241-270 against 225-246
 * (load 3-7; the same with at most 4 per source: it is the deeper sources, not the most).
 */
export const MAX_BATCHES_AHEAD = 8;
export const EXTRA_AHEAD_PER_SOURCE = 1;

/** A file source as it crosses to a worker: plain data (no functions, no streams). */
export interface WireSource {
  path: string;
  display: string;
  hints: SourceHints;
  setAside?: string;
  referenceTime?: number;
  twinWriters?: TwinWriters;
  /** The cluster its events carry (readSource labels them, before any rendering). */
  cluster?: string;
}

export interface WireReadOptions {
  componentOverride?: Component;
  maxLineBytes?: number;
  batchEvents: number;
  readChunk?: number;
  /** Events are sent rendered as output lines, a batch's lines as bytes (src/output/render.ts), not whole. */
  render?: RenderSpec;
  /**
   * Events are sent to a store's ingest in their stored form (src/store/stored-form.ts: the fields
   * as JSON text, and with `signals` what each line states), their fields objects dropped.
   */
  storedForm?: StoredFormSpec;
  /** The source's sequence numbers are seqBase + 1, + 2... as on the main thread (run.ts). */
  seqBase: number;
}

/** What a worker makes of each event for the store (the signals: with SIGNAL_REGISTRY, the registry an ingest writes with). */
export interface StoredFormSpec {
  signals: boolean;
}

/**
 * A credit message per batch taken costs the main thread about 27 us (0.46 s of an ingest at
 * scale 20, 17k batches). Tried: the credit as an Int32 both threads share (Atomics.add, then
 * notify to wake the worker's Atomics.waitAsync): the notify cost the same, 0.51 s, as waking
 * another thread's event loop is most of a message's cost. Coalescing credits would cut the
 * wake-ups but delays them while the merge runs on what it holds, and the workers idle then.
 */
export type ToWorker =
  | { t: 'open'; id: number; src: WireSource; opts: WireReadOptions }
  | { t: 'credit'; id: number }
  | { t: 'close'; id: number };

/**
 * `errors`: what the source reported since its last message, in order; the main thread says them
 * when the merge takes the message, at the point the one-thread read would have.
 * `stats`: the source's accounting so far (small: a few counters and format names).
 */
export type FromWorker =
  | { t: 'batch'; id: number; events: KEvent[]; errors: string[]; stats: SourceStats }
  | { t: 'lines'; id: number; lines: LineBatch; errors: string[]; stats: SourceStats }
  | { t: 'end'; id: number; errors: string[]; stats: SourceStats }
  | { t: 'fail'; id: number; errors: string[]; stats: SourceStats; message: string };
