/**
 * Choosing an envelope from a sample, and reading a part of a file (a minikube section, a
 * cluster-info log block) whose envelope is only known once a few of its lines have been seen.
 */
import type { EnvelopeContext, EnvelopeParser, EnvelopeReader, EnvelopeRecord, Line } from '../types.js';
import { noEnvelope } from './none.js';
import { Sampler } from './sampler.js';

/**
 * The candidate with the highest score over the sample; on a tie the earlier candidate wins;
 * `none` when no candidate scores above zero.
 */
export function pickEnvelope(sample: string[], candidates: readonly EnvelopeParser[]): EnvelopeParser {
  let best: EnvelopeParser = noEnvelope;
  let bestScore = 0;
  for (const candidate of candidates) {
    const score = candidate.score(sample);
    if (score > bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}

/**
 * Non-blank lines looked at before a nested part's envelope is chosen: fewer than for a whole
 * source (SAMPLE_LINES), since a part (one minikube section) may be short and the whole file's
 * envelope has already told most of the story.
 */
export const NESTED_SAMPLE_LINES = 20;

/**
 * A reader that holds the first lines of a part until it has seen enough of them, picks the
 * envelope among `candidates`, then hands everything to a reader of that envelope. `end()`
 * decides on whatever it has when the part was short.
 */
export class DetectingReader implements EnvelopeReader {
  private reader: EnvelopeReader | undefined;
  private chosen: EnvelopeParser | undefined;
  private readonly sampler: Sampler;

  constructor(
    private readonly candidates: readonly EnvelopeParser[],
    private readonly ctx: EnvelopeContext,
    sampleLines = NESTED_SAMPLE_LINES,
  ) {
    // A part of blank lines only must not be held forever either.
    this.sampler = new Sampler({ sampleLines, maxHeld: sampleLines * 50 });
  }

  /** The envelope chosen, once it is. */
  get envelope(): EnvelopeParser | undefined {
    return this.chosen;
  }

  push(line: Line): EnvelopeRecord[] {
    if (this.reader) return this.reader.push(line);
    return this.sampler.add(line) ? this.choose() : [];
  }

  end(): EnvelopeRecord[] {
    const out = this.reader ? [] : this.choose();
    for (const r of this.reader!.end()) out.push(r);
    return out;
  }

  private choose(): EnvelopeRecord[] {
    this.chosen = pickEnvelope(this.sampler.sample, this.candidates);
    const reader = this.chosen.create(this.ctx);
    this.reader = reader;
    const out: EnvelopeRecord[] = [];
    for (const held of this.sampler.take()) for (const r of reader.push(held)) out.push(r);
    return out;
  }
}
