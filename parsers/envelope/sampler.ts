/**
 * Holding a source's (or a nested part's) first lines until there are enough of them to choose how
 * to read it: the sample of non-blank lines an envelope is scored on, and the head text a document
 * format (an EventList) is recognized by. One class, so that a one-shot read, follow mode and a
 * nested part (a minikube section) hold and sample lines the same way.
 */
import type { Line } from '../types.js';

/** Non-blank lines an envelope is chosen from, for a whole source. */
export const SAMPLE_LINES = 50;
/** Lines, and characters of them, a document format looks at (its `detect(head)`). */
const HEAD_LINES = 200;
const HEAD_CHARS = 4096;

export interface SamplerOptions {
  /** Non-blank lines to gather before choosing. */
  sampleLines: number;
  /** Choose with what is held once this many lines are (a run of blank lines is not held forever). */
  maxHeld: number;
  /** Also wait for the head text (HEAD_LINES lines or HEAD_CHARS characters) a document detector reads. */
  head?: boolean;
}

export class Sampler {
  private held: Line[] = [];
  private nonBlank: string[] = [];
  private headChars = 0;

  constructor(private readonly opts: SamplerOptions) {}

  /** Holds one line; true once enough is held to choose. */
  add(line: Line): boolean {
    this.held.push(line);
    if (this.nonBlank.length < this.opts.sampleLines && line.text.trim() !== '') this.nonBlank.push(line.text);
    if (this.held.length <= HEAD_LINES) this.headChars += line.text.length + 1;
    if (this.held.length >= this.opts.maxHeld) return true;
    if (this.nonBlank.length < this.opts.sampleLines) return false;
    return !this.opts.head || this.held.length >= HEAD_LINES || this.headChars >= HEAD_CHARS;
  }

  get size(): number {
    return this.held.length;
  }

  /** Some non-blank line is held. */
  get hasText(): boolean {
    return this.nonBlank.length > 0;
  }

  /** The first non-blank lines (at most `sampleLines`). */
  get sample(): string[] {
    return this.nonBlank;
  }

  /** The first lines' text, as a document detector reads it. */
  get headText(): string {
    return this.held
      .slice(0, HEAD_LINES)
      .map((l) => l.text)
      .join('\n')
      .slice(0, HEAD_CHARS);
  }

  /** The held lines, in order; the sampler starts empty again. */
  take(): Line[] {
    const held = this.held;
    this.held = [];
    this.nonBlank = [];
    this.headChars = 0;
    return held;
  }
}
