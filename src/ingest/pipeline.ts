/**
 * One source's way from bytes (or lines) to events, push-based:
 *
 *   bytes -> ByteFramer (gzip is undone before: framing.ts) -> Line
 *         -> Sampler: the first lines are held until the source's shape can be told
 *         -> a document (EventList) reader, or the envelope's reader -> EnvelopeRecord
 *         -> EventAssembler (payload parser, folding, time, component) -> KEvent
 *
 * Batch reading (source-reader.ts), follow mode (follow-tail.ts) and, later, worker threads feed
 * it: it does no I/O, keeps no global state, takes input chunk by chunk in any cut, and gives plain
 * events (structured-clone safe). Every line pushed is counted once in `stats`
 * (linesRead = events + folded + unrecognized + setAside once `end()` was called).
 */
import { Sampler, SAMPLE_LINES } from '../../parsers/envelope/sampler.js';
import { detectEnvelope } from '../../parsers/envelope/detect.js';
import { isReversed } from '../../parsers/envelope/journald.js';
import { DOCUMENTS } from '../../parsers/payload/index.js';
import type { DocumentReader, EnvelopeReader, EnvelopeRecord, Line, SourceHints } from '../../parsers/types.js';
import type { Component, KEvent } from '../model/event.js';
import { EventAssembler } from './assemble.js';
import { ByteFramer, DEFAULT_MAX_LINE_BYTES, type TextEncoding } from './framing.js';
import { newSourceStats, type SourceStats } from './stats.js';

export interface PipelineOptions {
  /** Display name: every event's source.file, and the stats' file. */
  file: string;
  hints: SourceHints;
  /** A time near the logs' (epoch µs), for year-less timestamps. */
  referenceTime: number;
  componentOverride?: Component;
  nextSeq: () => number;
  /** Why the whole source is not parsed: its lines are only counted, as set aside. */
  setAside?: string;
  /** Records of these writers are another source's: counted as set aside (kind's journal twins). */
  skipWriter?: (identifier: string | undefined) => boolean;
  /**
   * What to do with a document (an EventList): read its items (default), or set it aside with
   * this reason (follow mode: a document does not grow as a log does).
   */
  documents?: { setAside: string };
  /**
   * The caller can read the source again from its end (a file, not a pipe): a `journalctl -r`
   * source then stops taking lines at detection and sets `reversed`, and the caller pushes its
   * lines last first.
   */
  canReverse?: boolean;
  maxLineBytes?: number;
}

type Stage =
  | { kind: 'sampling' }
  | { kind: 'aside' }
  | { kind: 'records'; reader: EnvelopeReader; assembler: EventAssembler }
  | { kind: 'document'; reader: DocumentReader; assembler: EventAssembler };

function linesOf(r: EnvelopeRecord): number {
  return r.physicalLines ?? r.lastLine - r.firstLine + 1;
}

export class SourcePipeline {
  readonly stats: SourceStats;
  private stage: Stage = { kind: 'sampling' };
  private readonly sampler = new Sampler({ sampleLines: SAMPLE_LINES, maxHeld: SAMPLE_LINES * 100, head: true });
  private bytes: ByteFramer | undefined;
  /** Lines pushed into the envelope reader that no record has accounted for yet. */
  private readerHeld = 0;
  private wantsReverse = false;

  /** `stats`: an object the caller already handed out (it is filled in place). */
  constructor(
    private readonly opts: PipelineOptions,
    stats?: SourceStats,
  ) {
    this.stats = stats ?? newSourceStats(opts.file);
    if (opts.setAside) this.setAside(opts.setAside);
  }

  /** The envelope (or 'document', 'set-aside') once chosen. */
  get envelope(): string | undefined {
    return this.stage.kind === 'sampling' ? undefined : this.stats.envelope;
  }

  /**
   * A `journalctl -r` source found at detection (with `canReverse`): the lines pushed so far were
   * given back (not counted); push the source's lines last first from here on.
   */
  get reversed(): boolean {
    return this.wantsReverse;
  }

  // -------------------------------------------------------------------------------------------
  // Input

  /** Raw bytes (already decompressed), in any cut. */
  pushBytes(chunk: Buffer, out: KEvent[]): void {
    this.bytes ??= new ByteFramer(this.opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
    const lines: Line[] = [];
    this.bytes.push(chunk, lines);
    this.pushLines(lines, out);
  }

  /**
   * The byte stream ends here (follow mode: a file truncated and read again from its start):
   * an unterminated line is taken as it is, and the next bytes start numbering after `lineBase`
   * (and are decoded as `encoding` when they come from past the file's start). `cut`: the rest
   * of that line exists but cannot be read, so it is flagged truncated.
   */
  restartBytes(out: KEvent[], lineBase = 0, encoding?: TextEncoding, cut = false): void {
    const lines: Line[] = [];
    this.bytes?.end(lines, cut);
    this.pushLines(lines, out);
    this.bytes = new ByteFramer(this.opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES, lineBase, encoding);
  }

  /** An unterminated line is held, waiting for its "\n". */
  get midLine(): boolean {
    return this.bytes?.midLine ?? false;
  }

  /** Framed lines, in file order (or last first once `reversed`). */
  pushLines(lines: readonly Line[], out: KEvent[]): void {
    const stats = this.stats;
    for (const line of lines) {
      stats.linesRead++;
      if (line.nuls) stats.nulLines++;
      const stage = this.stage;
      if (stage.kind === 'records') this.record(stage, line, out);
      else if (stage.kind === 'sampling') {
        if (!this.sampler.add(line)) continue;
        this.choose(out);
        if (this.wantsReverse) return; // the rest of this batch is not taken either
      } else if (stage.kind === 'document') for (const item of stage.reader.push(line)) stage.assembler.document(item, out);
      else stats.setAside++;
    }
  }

  /**
   * The input has no more lines for now: a source still sampling (shorter than the sample)
   * chooses how it is read from what it holds. A reader that re-reads backwards checks
   * `reversed` after this, before `end()`.
   */
  settle(out: KEvent[]): void {
    if (this.stage.kind === 'sampling' && this.sampler.size > 0) this.choose(out);
  }

  // -------------------------------------------------------------------------------------------
  // Letting go of what is held (follow mode, when the file is quiet)

  /** The pending event is complete as far as anyone can tell (a quiet source). */
  flushEvent(out: KEvent[]): void {
    if (this.stage.kind === 'sampling' && this.sampler.hasText) this.choose(out);
    if (this.stage.kind === 'records') this.stage.assembler.end(out);
  }

  /** Also an unterminated line and a half record (a CRI P without its F): taken as they are. */
  flushPartial(out: KEvent[]): void {
    const lines: Line[] = [];
    this.bytes?.flush(lines);
    this.pushLines(lines, out);
    if (this.stage.kind === 'sampling' && this.sampler.size > 0) this.choose(out);
    const stage = this.stage;
    if (stage.kind === 'records' && this.readerHeld > 0) this.records(stage, stage.reader.end(), 0, out);
    if (stage.kind === 'records') stage.assembler.end(out);
  }

  /** End of the source: everything held comes out; the accounting balances from here on. */
  end(out: KEvent[]): void {
    const lines: Line[] = [];
    this.bytes?.end(lines);
    this.bytes = undefined;
    this.pushLines(lines, out);
    if (this.stage.kind === 'sampling') this.choose(out);
    const stage = this.stage;
    if (stage.kind === 'records') {
      this.records(stage, stage.reader.end(), 0, out);
      stage.assembler.end(out);
    } else if (stage.kind === 'document') {
      for (const item of stage.reader.end()) stage.assembler.document(item, out);
      this.stats.setAside += stage.reader.setAside;
    }
  }

  /**
   * Chooses the envelope from lines the caller has but does not push (follow mode reading a file
   * from past its start: its first lines are what a one-shot read would choose from).
   */
  chooseFrom(first: readonly Line[], out: KEvent[]): void {
    if (this.stage.kind !== 'sampling') return;
    const sampler = new Sampler({ sampleLines: SAMPLE_LINES, maxHeld: SAMPLE_LINES * 100, head: true });
    for (const line of first) if (sampler.add(line)) break;
    if (!sampler.hasText) return;
    this.decide(sampler.sample, sampler.headText);
    // Lines pushed meanwhile (none in practice) go on through what was chosen.
    this.release(this.sampler.take(), out);
  }

  /** `n` lines of a source set aside, counted without being framed (framing.ts, countPlainLines). */
  countSetAside(n: number): void {
    if (this.stage.kind !== 'aside') throw new Error('countSetAside: the source is not set aside');
    this.stats.linesRead += n;
    this.stats.setAside += n;
  }

  // -------------------------------------------------------------------------------------------

  private setAside(reason: string): void {
    this.stage = { kind: 'aside' };
    this.stats.envelope = 'set-aside';
    this.stats.setAsideReason = reason;
  }

  private choose(out: KEvent[]): void {
    this.decide(this.sampler.sample, this.sampler.headText);
    const held = this.sampler.take();
    if (this.wantsReverse) {
      // Given back: the caller pushes every line again, last first.
      this.stats.linesRead -= held.length;
      this.stats.nulLines -= held.filter((l) => l.nuls).length;
      return;
    }
    this.release(held, out);
  }

  /** Picks the stage from the first lines: a document, else an envelope reader and an assembler. */
  private decide(sample: string[], headText: string): void {
    const o = this.opts;
    const assembler = (envelope: string): EventAssembler =>
      new EventAssembler(
        {
          file: o.file,
          envelope,
          hints: o.hints,
          referenceTime: o.referenceTime,
          componentOverride: o.componentOverride,
          nextSeq: o.nextSeq,
        },
        this.stats,
      );
    const document = DOCUMENTS.find((d) => d.detect(headText, o.file));
    if (document) {
      if (o.documents) {
        this.setAside(o.documents.setAside);
        return;
      }
      this.stats.envelope = 'document';
      this.stage = { kind: 'document', reader: document.create(), assembler: assembler('document') };
      return;
    }
    const envelope = detectEnvelope(sample);
    this.stats.envelope = envelope.name;
    const reader = envelope.create({ file: o.file, hints: o.hints, referenceTime: o.referenceTime });
    this.stage = { kind: 'records', reader, assembler: assembler(envelope.name) };
    if (o.canReverse && envelope.name.startsWith('journald') && isReversed(sample)) this.wantsReverse = true;
  }

  /** Held lines (already counted as read) go through the chosen stage. */
  private release(held: Line[], out: KEvent[]): void {
    const stage = this.stage;
    if (stage.kind === 'records') for (const line of held) this.record(stage, line, out);
    else if (stage.kind === 'document') {
      for (const line of held) for (const item of stage.reader.push(line)) stage.assembler.document(item, out);
    } else if (stage.kind === 'aside') this.stats.setAside += held.length;
  }

  private record(stage: Extract<Stage, { kind: 'records' }>, line: Line, out: KEvent[]): void {
    this.records(stage, stage.reader.push(line), 1, out);
  }

  private records(stage: Extract<Stage, { kind: 'records' }>, records: EnvelopeRecord[], linesIn: number, out: KEvent[]): void {
    let consumed = 0;
    const skip = this.opts.skipWriter;
    for (const record of records) {
      const n = linesOf(record);
      consumed += n;
      if (skip && record.kind === 'record' && skip(record.hints.identifier)) this.stats.setAside += n;
      else stage.assembler.push(record, out);
    }
    this.readerHeld += linesIn - consumed;
  }
}
