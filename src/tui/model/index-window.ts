/**
 * A scrolling window over a list held in memory as ids (timeline steps, incident evidence,
 * incidents): which slice is on screen and which entry is selected. Pure arithmetic; the
 * caller reads the visible entries' events from the store.
 */
export class IndexWindow {
  /** Index of the first visible entry. */
  top = 0;
  /** Index of the selected entry (absolute). */
  cursor = 0;
  length: number;
  height: number;

  constructor(length: number, height = 1) {
    this.length = length;
    this.height = Math.max(1, height);
  }

  setHeight(height: number): void {
    this.height = Math.max(1, Math.floor(height));
    this.clamp();
  }

  setLength(length: number): void {
    this.length = length;
    this.clamp();
  }

  moveBy(n: number): void {
    this.cursor += n;
    // Paging moves the view by as much as the cursor, as in a pager.
    if (Math.abs(n) >= this.height) this.top += n;
    this.clamp();
  }

  home(): void {
    this.cursor = 0;
    this.clamp();
  }

  end(): void {
    this.cursor = this.length - 1;
    this.clamp();
  }

  select(index: number): void {
    this.cursor = index;
    // A jump puts the entry a third of the way down, for context.
    this.top = index - Math.floor(this.height / 3);
    this.clamp();
  }

  /** [start, end) of the visible entries. */
  visible(): [number, number] {
    return [this.top, Math.min(this.length, this.top + this.height)];
  }

  private clamp(): void {
    this.cursor = Math.max(0, Math.min(this.cursor, this.length - 1));
    if (this.cursor < this.top) this.top = this.cursor;
    if (this.cursor >= this.top + this.height) this.top = this.cursor - this.height + 1;
    this.top = Math.max(0, Math.min(this.top, this.length - this.height));
  }
}
