/**
 * One followed stream: an open file (one inode), read from a byte offset as it grows, through the
 * same stages as a one-shot read (LineFramer, detectEnvelope and the envelope's reader, the
 * EventAssembler), whose state is kept between appends so that a CRI P..F run or a klog event's
 * continuation lines that arrive in two writes still come out as one event.
 *
 * What is held back, and when it is let go:
 * - an event waits in the assembler until the next one starts (it may still fold lines), or until
 *   the file has been quiet for `idleMs`, so that the last line of a quiet file shows up;
 * - an unterminated line waits in the framer for its "\n", and a record waits in the envelope
 *   reader for its end (a CRI `P` for its `F`), until the file has been quiet for `partialMs`;
 *   then they are taken as they are (a writer that died mid-line, a file without a final "\n");
 * - the envelope is chosen once 50 non-blank lines are at hand (as a one-shot read does), or at
 *   the first quiet moment with fewer.
 * Whatever is let go early is never taken again: a continuation line that comes after the idle
 * flush becomes an event of its own, the rest of a line flushed at `partialMs` a line of its own.
 * A copytruncate that catches a line half read is the exception that need not be one: the rest is
 * in the rotated copy, and is read from there (restart()). A truncation may also land inside a
 * read (between its size check and the read itself): each read is checked again after it, and
 * bytes read across a truncation are dropped and taken again from the copy (pump()).
 * Every line is counted once either way (SourceStats: linesRead = events + folded + unrecognized
 * + setAside once nothing is held).
 *
 * The file handle stays open for the stream's life, so a file renamed or deleted by rotation is
 * still read to its end through it. All work on one tail runs one step at a time (a promise
 * chain); timers and file events only queue steps.
 */
import type { FileHandle } from 'node:fs/promises';
import type { Line } from '../../parsers/types.js';
import type { Component, KEvent } from '../model/event.js';
import { describeError } from './diagnostics.js';
import { findCopy, HEAD_BYTES, rotationName, type ReadFingerprint, type RotationName } from './follow-copies.js';
import { ByteFramer, countLineEnds, encodingOf, endsLine, gunzip, isGzip } from './framing.js';
import { SourcePipeline } from './pipeline.js';
import type { SourceInput } from './source-reader.js';
import { newSourceStats, type SourceStats } from './stats.js';

/** Bytes of a file's start looked at for the envelope's sample when the file is read from past its start. */
const SAMPLE_BYTES = 64 * 1024;
/** Bytes per read. */
const READ_CHUNK = 256 * 1024;
/** Bytes one pump reads before it lets the other files have a turn. */
const PUMP_SLICE = 8 * 1024 * 1024;
/** Bytes of the file's start compared on each pump to notice a truncation that grew back. */
const REWRITE_PROBE = 64;
/** A rotated copy is read once its size has stopped changing; this many checks at most. */
const SETTLE_ROUNDS = 20;

/**
 * - settling: a rotated copy or a gzip that just appeared, waiting for its size to stop changing
 *   before it is compared with what was read;
 * - following: read as it grows;
 * - orphaned: its name is gone (renamed out of sight or deleted); still read through the open
 *   handle until it is retired;
 * - ended: read to its end and closed (or a gzip read whole, or a file seen but not read).
 */
export type TailState = 'settling' | 'following' | 'orphaned' | 'ended';

/** What the follower tells about one followed stream. Updated in place as it is read. */
export interface FollowedSource {
  /** 1, 2, 3... in the order the streams were found. */
  readonly id: number;
  /** The name events carry in source.file: the file's display when it was first found. */
  readonly display: string;
  /** Where the file is now (it changes when rotation renames it). */
  path: string;
  readonly dev: number;
  readonly ino: number;
  readonly gzip: boolean;
  state: TailState;
  /** Bytes of the stream consumed (decompressed bytes for gzip). */
  offset: number;
  /** Bytes at its start not read: already seen (start 'end', or a copy of what was read). */
  skippedBytes: number;
  /** Lines in those bytes: the first line read is numbered skippedLines + 1. */
  skippedLines: number;
  /** Times the file shrank under us (copytruncate) and was read again from its start. */
  truncations: number;
  /** Lines, events, folded... of what was read (see stats.ts). */
  readonly stats: SourceStats;
}

export interface TailContext {
  componentOverride?: Component;
  maxLineBytes: number;
  idleMs: number;
  partialMs: number;
  nextSeq: () => number;
  /** Hands a batch of events on; resolves when there is room for more (backpressure). */
  emit: (source: FollowedSource, events: KEvent[]) => Promise<void>;
  /** A problem reading this stream (the follower adds it to its stats and reports it). */
  onError: (source: FollowedSource, message: string) => void;
  /** A generation of this stream ended (the file was truncated): what had been read of it. */
  onGeneration: (print: ReadFingerprint) => void;
  /**
   * A truncated stream may read the rest of a half-read line from its rotated copy (dev, ino):
   * true when no one reads that copy's bytes yet (it is not followed, or its tail has not chosen
   * where to start); then its tail, when it chooses, skips what this stream claims.
   */
  claimCopy: (dev: number, ino: number) => boolean;
  openFile: (path: string) => Promise<FileHandle>;
  /** Runs a read with a bounded number of others (many files must not all read at once). */
  slot: <T>(fn: () => Promise<T>) => Promise<T>;
}

export class FileTail {
  readonly info: FollowedSource;
  private head: Buffer;
  /** Bytes to events: the same stages as a one-shot read, fed as the file grows. */
  private readonly pipeline: SourcePipeline;
  /** The lines of the bytes skipped at the start (the first line read is numbered lineBase + 1). */
  private lineBase = 0;
  private chain: Promise<void> = Promise.resolve();
  private idleTimer: NodeJS.Timeout | undefined;
  private partialTimer: NodeJS.Timeout | undefined;
  private pumpQueued = false;
  /** For a gzip read whole at start 'end': everything counts as read. */
  private seenWhole = false;
  private start: Promise<void> = Promise.resolve();
  /** finish() was called: a settling copy stops waiting. */
  private stopping = false;
  /** A settling copy asked how much of it was read already: its start is chosen. */
  private decided = false;

  private constructor(
    private fh: FileHandle | undefined,
    info: Omit<FollowedSource, 'stats' | 'state' | 'offset' | 'skippedBytes' | 'skippedLines' | 'truncations'>,
    head: Buffer,
    private readonly input: SourceInput,
    private readonly referenceTime: number,
    private readonly ctx: TailContext,
  ) {
    this.info = {
      ...info,
      state: 'settling',
      offset: 0,
      skippedBytes: 0,
      skippedLines: 0,
      truncations: 0,
      stats: newSourceStats(input.display),
    };
    this.head = head;
    this.pipeline = new SourcePipeline(
      {
        file: input.display,
        hints: input.hints,
        referenceTime,
        componentOverride: ctx.componentOverride,
        nextSeq: ctx.nextSeq,
        skipWriter: input.skipWriter,
        // An EventList is one document, not lines that grow: `ktrail ingest` reads it.
        documents: { setAside: 'a document (EventList), not a growing log: not followed' },
        maxLineBytes: ctx.maxLineBytes,
      },
      this.info.stats,
    );
  }

  /** Opens `path`; throws what open or fstat throw (the follower reports it). */
  static async open(path: string, input: SourceInput, id: number, ctx: TailContext, openFile: (p: string) => Promise<FileHandle>): Promise<FileTail> {
    const fh = await openFile(path);
    try {
      const st = await fh.stat();
      const first = Buffer.alloc(HEAD_BYTES);
      const { bytesRead } = await fh.read(first, 0, HEAD_BYTES, 0);
      const gzip = isGzip(first.subarray(0, bytesRead));
      const referenceTime = input.referenceTime ?? st.mtimeMs * 1000;
      const info = { id, display: input.display, path, dev: st.dev, ino: st.ino, gzip };
      // A gzip's head is taken from its decompressed bytes when it is read (readGzip).
      const head = gzip ? Buffer.alloc(0) : Buffer.from(first.subarray(0, bytesRead));
      return new FileTail(fh, info, head, input, referenceTime, ctx);
    } catch (err) {
      await fh.close().catch(() => undefined);
      throw err;
    }
  }

  /** A copy waiting to choose where it starts reading (see TailContext.claimCopy). */
  undecided(): boolean {
    return this.info.state === 'settling' && !this.decided && !this.info.gzip;
  }

  sameFile(dev: number, ino: number): boolean {
    return this.info.dev === dev && this.info.ino === ino;
  }

  /** What was read of this stream, under its current name (a rename keeps the stem: x.log -> x.log.1). */
  prints(): ReadFingerprint[] {
    const bytes = this.seenWhole ? Number.MAX_SAFE_INTEGER : this.info.offset;
    if (bytes === 0 || this.head.length === 0 || this.info.state === 'settling') return [];
    const now = rotationName(this.info.path);
    return [{ dir: now.dir, stem: now.stem, head: this.head, bytes }];
  }

  /** Queues a step; steps of one tail run one at a time, and a failing step is reported, never thrown. */
  private run(step: () => Promise<void>): Promise<void> {
    const next = this.chain.then(step).catch((err: unknown) => this.ctx.onError(this.info, describeError(err)));
    this.chain = next;
    return next;
  }

  // -------------------------------------------------------------------------------------------
  // Starting

  /** Read from byte `skip` on (0: the whole file) as it grows. */
  begin(skip: number): Promise<void> {
    this.start = this.run(() => this.beginAt(skip));
    return this.start;
  }

  /** Read what is appended from now on: from the end of the file's last complete line. */
  beginAtEnd(): Promise<void> {
    this.start = this.run(async () => {
      if (this.fh) await this.beginAt(await this.lastLineEnd());
    });
    return this.start;
  }

  /** Resolves once the stream knows where it starts reading (not when it has read). */
  started(): Promise<void> {
    return this.start;
  }

  private async beginAt(skip: number): Promise<void> {
    if (!this.fh || this.info.state !== 'settling') return;
    if (skip > 0) {
      this.lineBase = await this.linesBefore(skip);
      this.info.skippedBytes = skip;
      this.info.skippedLines = this.lineBase;
      if (this.pipeline.envelope === undefined) await this.detectFromStart(skip);
      // The bytes read from here on are decoded as the file's start says (a UTF-16 BOM).
      this.pipeline.restartBytes([], this.lineBase, encodingOf(this.head));
    }
    this.info.offset = skip;
    this.info.state = 'following';
    // The read itself is a step of its own: whoever waits for the start does not wait for it.
    this.poke();
  }

  /**
   * A file that just appeared under a rotation name (or a gzip): waits until its size stops
   * changing, then asks `decide` how many of its bytes were already read, and reads the rest.
   * A gzip is read whole, once; a plain copy is followed from there.
   */
  settleThenRead(decide: (head: Buffer, size: number | undefined) => number): Promise<void> {
    return this.run(async () => {
      if (!this.fh) return;
      let size = (await this.fh.stat()).size;
      // Closing does not wait: what is there is decided on at once.
      for (let round = 0; round < SETTLE_ROUNDS && !this.stopping; round++) {
        await new Promise((r) => setTimeout(r, this.ctx.idleMs));
        if (!this.fh) return;
        const now = (await this.fh.stat()).size;
        if (now === size) break;
        size = now;
      }
      if (this.info.state !== 'settling') return; // closed meanwhile
      if (this.info.gzip) {
        await this.readGzip(decide);
        return;
      }
      const head = Buffer.alloc(HEAD_BYTES);
      const { bytesRead } = await this.fh.read(head, 0, HEAD_BYTES, 0);
      this.head = Buffer.from(head.subarray(0, bytesRead));
      this.decided = true;
      await this.beginAt(Math.min(decide(this.head, size), size));
    });
  }

  /** A gzip seen at start with start 'end': its content counts as read, and it is not read. */
  markSeen(head: Buffer): void {
    this.head = head;
    this.seenWhole = true;
    this.info.state = 'ended';
    const fh = this.fh;
    this.fh = undefined;
    void fh?.close().catch(() => undefined);
  }

  /** A gzip to read whole now (start 'start'): nothing of it was seen before. */
  readWhole(): Promise<void> {
    return this.run(() => this.readGzip(() => 0));
  }

  // -------------------------------------------------------------------------------------------
  // Reading

  /** Something changed: read what was appended (queued behind the running step, at most once). */
  poke(): void {
    if (this.pumpQueued || this.info.state === 'ended' || this.info.state === 'settling' || this.info.gzip) return;
    this.pumpQueued = true;
    void this.run(async () => {
      this.pumpQueued = false;
      await this.pump();
    });
  }

  /** Reads what was appended since the last read; `drain`: all of it, not one slice. */
  private async pump(drain = false): Promise<void> {
    const fh = this.fh;
    if (!fh || this.info.gzip || (this.info.state !== 'following' && this.info.state !== 'orphaned')) return;
    const read = await this.ctx.slot(async () => {
      const st = await fh.stat();
      if (st.size < this.info.offset || (st.size > this.info.offset && (await this.rewritten(fh)))) {
        await this.restart();
      }
      let total = 0;
      let buf = Buffer.allocUnsafe(Math.min(READ_CHUNK, Math.max(4096, st.size - this.info.offset)));
      for (;;) {
        const { bytesRead } = await fh.read(buf, 0, buf.length, this.info.offset);
        if (bytesRead === 0) break; // (a truncation below the offset is seen by the next pump's check)
        // A copytruncate may land between the check above (or the previous read) and this read:
        // the bytes at our offset may then be the new content's, which must not be glued onto
        // a line held from the old. Checked again after the read, through the same handle: if
        // the file shrank below what was read, or its start changed, the bytes are given up and
        // the stream restarts (its half line finished from the rotated copy, which holds the
        // bytes that were at this offset), then reads the new content from 0. (A truncation
        // right after a good read also lands here: the copy gives the same bytes again.)
        if (await this.cutUnder(fh, this.info.offset + bytesRead)) {
          await this.restart();
          continue;
        }
        const out: KEvent[] = [];
        this.consume(buf.subarray(0, bytesRead), this.info.offset, out);
        this.info.offset += bytesRead;
        total += bytesRead;
        if (out.length) await this.ctx.emit(this.info, out);
        if (total >= PUMP_SLICE && !drain) {
          // A big burst: let the other files have a turn, and come back.
          setImmediate(() => this.poke());
          break;
        }
        if (bytesRead === buf.length && buf.length < READ_CHUNK) buf = Buffer.allocUnsafe(READ_CHUNK);
      }
      return total;
    });
    if (read > 0) this.armTimers();
  }

  /** Since the last look, the file was truncated: it is now shorter than `end`, or its start changed. */
  private async cutUnder(fh: FileHandle, end: number): Promise<boolean> {
    return (await fh.stat()).size < end || (await this.rewritten(fh));
  }

  /** The file's start no longer is what was read there: it was truncated and written again. */
  private async rewritten(fh: FileHandle): Promise<boolean> {
    const n = Math.min(REWRITE_PROBE, this.head.length, this.info.offset);
    if (n === 0) return false;
    const probe = Buffer.alloc(n);
    const { bytesRead } = await fh.read(probe, 0, n, 0);
    return bytesRead < n || probe.compare(this.head, 0, n, 0, n) !== 0;
  }

  /**
   * copytruncate: what was read becomes a generation of its own, and the file is read from 0.
   * A line caught half read is finished first from the rotated copy, which holds the bytes past
   * our offset (its rest, and the lines after it), so that it stays one line.
   */
  private async restart(): Promise<void> {
    const now = rotationName(this.info.path);
    const copied = this.pipeline.midLine && (await this.readRestFromCopy(now));
    if (!copied && this.info.offset > 0 && this.head.length > 0) {
      this.ctx.onGeneration({ dir: now.dir, stem: now.stem, head: this.head, bytes: this.info.offset });
    }
    // A line still unterminated here has its rest out of our reach: no copy was found (it was
    // compressed or removed at once, the file was truncated without one, or the copy's own tail
    // already reads it), or the copy ends mid-line too. The part read is taken as a line of its
    // own and flagged cut, so that no one takes it for the whole line.
    const out: KEvent[] = [];
    this.pipeline.restartBytes(out, 0, undefined, true);
    if (out.length) await this.ctx.emit(this.info, out);
    this.lineBase = 0;
    this.head = Buffer.alloc(0);
    this.info.offset = 0;
    this.info.skippedBytes = 0;
    this.info.skippedLines = 0;
    this.info.truncations++;
  }

  /**
   * Reads the rotated copy's bytes past our offset as this stream's, and records the generation
   * as read up to the copy's end (so that the copy's tail skips them). False when there is no
   * copy to read them from.
   */
  private async readRestFromCopy(now: RotationName): Promise<boolean> {
    const copy = await findCopy(now.dir, now.stem, this.head, this.info.offset, this.ctx.openFile);
    if (!copy) return false;
    try {
      if (!this.ctx.claimCopy(copy.dev, copy.ino)) return false;
      // Recorded before reading: a copy's tail choosing meanwhile skips all of it.
      this.ctx.onGeneration({ dir: now.dir, stem: now.stem, head: this.head, bytes: copy.size });
      const buf = Buffer.allocUnsafe(Math.min(READ_CHUNK, copy.size - this.info.offset));
      while (this.info.offset < copy.size) {
        const { bytesRead } = await copy.fh.read(buf, 0, Math.min(buf.length, copy.size - this.info.offset), this.info.offset);
        if (bytesRead === 0) break; // the copy shrank: what is left of the line is cut
        const out: KEvent[] = [];
        this.consume(buf.subarray(0, bytesRead), this.info.offset, out);
        this.info.offset += bytesRead;
        if (out.length) await this.ctx.emit(this.info, out);
      }
      return true;
    } finally {
      await copy.fh.close().catch(() => undefined);
    }
  }

  /** Bytes at `pos` of the stream: keeps the head, and feeds the bytes on. */
  private consume(bytes: Buffer, pos: number, out: KEvent[]): void {
    const have = this.head.length;
    if (have < HEAD_BYTES && pos <= have && pos + bytes.length > have) {
      this.head = Buffer.concat([this.head, bytes.subarray(have - pos, Math.min(bytes.length, HEAD_BYTES - pos))]);
    }
    this.pipeline.pushBytes(bytes, out);
  }

  /**
   * A file read from past its start: its first lines (already there, not read as events) are
   * the sample a one-shot read would pick the envelope from, so the choice is made now.
   */
  private async detectFromStart(skip: number): Promise<void> {
    const buf = Buffer.alloc(Math.min(skip, SAMPLE_BYTES));
    const { bytesRead } = await this.fh!.read(buf, 0, buf.length, 0);
    // Whole lines only: the framer keeps a line cut short by the sample's end to itself.
    const lines: Line[] = [];
    new ByteFramer(this.ctx.maxLineBytes).push(buf.subarray(0, bytesRead), lines);
    this.pipeline.chooseFrom(lines, []);
  }

  // -------------------------------------------------------------------------------------------
  // Letting go of what is held

  private armTimers(): void {
    clearTimeout(this.idleTimer);
    clearTimeout(this.partialTimer);
    this.idleTimer = setTimeout(() => void this.run(() => this.flushIdle()), this.ctx.idleMs);
    this.partialTimer = setTimeout(() => void this.run(() => this.flushPartial()), this.ctx.partialMs);
  }

  /** Quiet for idleMs: the pending event is complete as far as anyone can tell. */
  private async flushIdle(): Promise<void> {
    const out: KEvent[] = [];
    this.pipeline.flushEvent(out);
    if (out.length) await this.ctx.emit(this.info, out);
  }

  /** Quiet for partialMs: an unterminated line and a half record are taken as they are. */
  private async flushPartial(): Promise<void> {
    const out: KEvent[] = [];
    this.pipeline.flushPartial(out);
    if (out.length) await this.ctx.emit(this.info, out);
  }

  /** The stream is read to its end: everything held comes out. */
  private async endPipeline(): Promise<void> {
    const out: KEvent[] = [];
    this.pipeline.end(out);
    if (out.length) await this.ctx.emit(this.info, out);
  }

  /** Reads what is left, lets go of everything held, closes the file. Idempotent. */
  finish(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.idleTimer);
    clearTimeout(this.partialTimer);
    return this.run(async () => {
      if (this.info.state === 'ended') return;
      if (this.info.state !== 'settling') {
        await this.pump(true);
        clearTimeout(this.idleTimer);
        clearTimeout(this.partialTimer);
        await this.endPipeline();
      }
      this.info.state = 'ended';
      const fh = this.fh;
      this.fh = undefined;
      await fh?.close();
    });
  }

  /** The name is gone (renamed out of sight, deleted): read on through the handle until retired. */
  orphan(): void {
    if (this.info.state === 'following') this.info.state = 'orphaned';
    this.poke();
  }

  /** The file shows up again under `path` (rotation renamed it within the watched tree). */
  adopt(path: string): void {
    this.info.path = path;
    if (this.info.state === 'orphaned') this.info.state = 'following';
    this.poke();
  }

  /** Waits for every queued step. */
  settled(): Promise<void> {
    return this.chain;
  }

  // -------------------------------------------------------------------------------------------
  // Helpers

  /** Number of "\n" in the file's first `bytes` bytes. */
  private async linesBefore(bytes: number): Promise<number> {
    const fh = this.fh!;
    const buf = Buffer.allocUnsafe(Math.min(READ_CHUNK, bytes));
    const encoding = encodingOf(this.head);
    let n = 0;
    for (let pos = 0; pos < bytes; ) {
      const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, bytes - pos), pos);
      if (bytesRead === 0) break;
      n += countLineEnds(buf.subarray(0, bytesRead), encoding, pos);
      pos += bytesRead;
    }
    return n;
  }

  /** Where the last complete line ends (so that a line being written is read whole), or 0. */
  private async lastLineEnd(): Promise<number> {
    const fh = this.fh!;
    const size = (await fh.stat()).size;
    const limit = Math.max(0, size - this.ctx.maxLineBytes - 2);
    const encoding = encodingOf(this.head);
    const buf = Buffer.allocUnsafe(64 * 1024);
    for (let end = size; end > limit; ) {
      // Even offsets, so that a UTF-16 code unit is never split between two reads.
      const start = Math.max(limit, end - buf.length) & ~1;
      const { bytesRead } = await fh.read(buf, 0, end - start, start);
      const got = buf.subarray(0, bytesRead);
      for (let nl = got.lastIndexOf(10); nl >= 0; nl = nl > 0 ? got.lastIndexOf(10, nl - 1) : -1) {
        // A whole "\n" only; UTF-16LE's is 0a 00, so the line ends one byte later (and a 0a
        // written without its 00 yet is no line end so far).
        if (!endsLine(got, nl, encoding, start) || (encoding === 'utf-16le' && nl + 1 >= bytesRead)) continue;
        return start + nl + (encoding === 'utf-16le' ? 2 : 1);
      }
      end = start;
    }
    // No "\n" within a line's length of the end: a cut line; start at the end.
    return limit > 0 ? size : 0;
  }

  /**
   * A gzip, read once from its start: its first decompressed bytes go to `decide`, which says how
   * many of them were already read (a compressed rotation of a followed file); those are only
   * counted for line numbers, the rest is read like any appended text.
   */
  private async readGzip(decide: (head: Buffer, size: number | undefined) => number): Promise<void> {
    const fh = this.fh;
    if (!fh) return;
    this.info.state = 'following';
    const raw = fh.createReadStream({ start: 0, autoClose: false, highWaterMark: READ_CHUNK });
    let pos = 0;
    let numbered = false;
    let skip: number | undefined;
    const early: Buffer[] = [];
    const feed = async (chunk: Buffer): Promise<void> => {
      const start = pos;
      pos += chunk.length;
      const s = skip!;
      if (pos <= s) {
        this.lineBase += countLineEnds(chunk, encodingOf(this.head), start);
        return;
      }
      const from = Math.max(0, s - start);
      if (from > 0) this.lineBase += countLineEnds(chunk.subarray(0, from), encodingOf(this.head), start);
      if (!numbered) {
        this.pipeline.restartBytes([], this.lineBase, encodingOf(this.head)); // numbered after the skipped lines
        numbered = true;
      }
      const out: KEvent[] = [];
      this.consume(chunk.subarray(from), start + from, out);
      if (out.length) await this.ctx.emit(this.info, out);
    };
    const decideNow = async (size: number | undefined): Promise<void> => {
      const all = Buffer.concat(early);
      this.head = Buffer.from(all.subarray(0, HEAD_BYTES));
      skip = Math.max(0, decide(this.head, size));
      this.info.skippedBytes = skip;
      early.length = 0;
      await feed(all);
    };
    let failure: unknown;
    try {
      for await (const chunk of gunzip(raw)) {
        if (skip === undefined) {
          early.push(chunk);
          if (early.reduce((n, b) => n + b.length, 0) >= HEAD_BYTES) await decideNow(undefined);
          continue;
        }
        await feed(chunk);
      }
    } catch (err) {
      failure = err;
    } finally {
      raw.destroy();
    }
    if (skip === undefined) await decideNow(pos + early.reduce((n, b) => n + b.length, 0));
    this.info.skippedLines = this.lineBase;
    this.info.offset = pos;
    if (failure !== undefined) this.ctx.onError(this.info, describeError(failure));
    await this.endPipeline();
    this.info.state = 'ended';
    this.fh = undefined;
    await fh.close();
  }
}
