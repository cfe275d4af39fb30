/**
 * The text of the input line (a filter, a search, a time) and its caret: plain editing, with no
 * knowledge of what the text means (the controller checks and applies it).
 */
import type { InputKind } from './frame.js';

export class InputLine {
  caretAt: number;
  /** Index into the history while browsing it (history.length: the text being typed). */
  private historyAt: number;

  constructor(
    public kind: InputKind,
    public text: string,
    private readonly past: readonly string[],
  ) {
    this.caretAt = text.length;
    this.historyAt = past.length;
  }

  /** Typed or pasted text; control characters (a pasted escape sequence) never enter it. */
  insert(typed: string): void {
     
    const clean = typed.replace(/[\x00-\x1f\x7f-\x9f]/g, '');
    this.text = this.text.slice(0, this.caretAt) + clean + this.text.slice(this.caretAt);
    this.caretAt += clean.length;
  }

  backspace(): void {
    if (this.caretAt === 0) return;
    this.text = this.text.slice(0, this.caretAt - 1) + this.text.slice(this.caretAt);
    this.caretAt--;
  }

  deleteForward(): void {
    this.text = this.text.slice(0, this.caretAt) + this.text.slice(this.caretAt + 1);
  }

  caret(to: -1 | 1 | 'home' | 'end'): void {
    if (to === 'home') this.caretAt = 0;
    else if (to === 'end') this.caretAt = this.text.length;
    else this.caretAt = Math.max(0, Math.min(this.text.length, this.caretAt + to));
  }

  killToStart(): void {
    this.text = this.text.slice(this.caretAt);
    this.caretAt = 0;
  }

  /** Earlier (-1) or later (1) queries; a time jump has no history. */
  history(dir: -1 | 1): void {
    if (this.kind === 'jump' || this.past.length === 0) return;
    this.historyAt = Math.max(0, Math.min(this.past.length, this.historyAt + dir));
    this.text = this.past[this.historyAt] ?? '';
    this.caretAt = this.text.length;
  }

  /** A filter becomes a search and back (a time stays a time). */
  switchKind(): void {
    if (this.kind !== 'jump') this.kind = this.kind === 'filter' ? 'search' : 'filter';
  }
}
