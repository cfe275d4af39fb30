/**
 * The merged event list, virtualized: the window holds only the rows on screen, read from the
 * store by keyset around the cursor (events after or before a (time, id) position), so every
 * move costs one or two small indexed reads whatever the store's size. Nothing here knows about
 * the terminal beyond the number of rows.
 */
import { END, START, type PageOptions, type Position, type StoredEvent } from '../../store/reader.js';
import type { SqlFilter } from '../../query/compile-sql.js';

/** What the window reads: StoreReader.page (an interface so that tests can count the reads). */
export interface PageSource {
  page(opts: PageOptions): StoredEvent[];
}

export function positionOf(e: { time: number; id: number }): Position {
  return { time: e.time, id: e.id };
}

export function comparePositions(a: Position, b: Position): number {
  return a.time - b.time || a.id - b.id;
}

/** The position just before `p`: ids are integers, so nothing sits between the two. */
function justBefore(p: Position): Position {
  return { time: p.time, id: p.id - 1 };
}

export class EventWindow {
  rows: StoredEvent[] = [];
  /** Index of the selected row in `rows`. */
  cursor = 0;
  private height = 1;
  private filter: SqlFilter | undefined;
  /**
   * Ends found by short reads: nothing matches after `lastSeen`'s end bound or before the start
   * bound. A filter that matches little would otherwise scan to the end of the table on every
   * key press at the end of the list.
   */
  private endBound: Position | undefined;
  private startBound: Position | undefined;
  /** Store reads made so far (for tests and the benchmark). */
  reads = 0;

  constructor(private readonly source: PageSource) {}

  private after(pos: Position, limit: number): StoredEvent[] {
    if (limit <= 0 || (this.endBound && comparePositions(pos, this.endBound) >= 0)) return [];
    this.reads++;
    const rows = this.source.page({ after: pos, limit, filter: this.filter });
    if (rows.length < limit) this.endBound = rows.length ? positionOf(rows[rows.length - 1]!) : pos;
    return rows;
  }

  private before(pos: Position, limit: number): StoredEvent[] {
    if (limit <= 0 || (this.startBound && comparePositions(pos, this.startBound) <= 0)) return [];
    this.reads++;
    const rows = this.source.page({ before: pos, limit, filter: this.filter });
    if (rows.length < limit) this.startBound = rows.length ? positionOf(rows[0]!) : pos;
    return rows;
  }

  /** Forget what is known about the ends: the store has new events. */
  invalidate(): void {
    this.endBound = undefined;
    this.startBound = undefined;
  }

  selected(): StoredEvent | undefined {
    return this.rows[this.cursor];
  }

  /** Sets the filter and goes back to the start (or to `at`, when given). */
  setFilter(filter: SqlFilter | undefined, at?: Position): void {
    this.filter = filter;
    this.invalidate();
    if (at) this.goTo(at);
    else this.home();
  }

  /** Changes the number of rows, keeping the selected event on screen. */
  setHeight(height: number): void {
    const h = Math.max(1, Math.floor(height));
    if (h === this.height && this.rows.length > 0) return;
    const sel = this.selected();
    const offset = Math.min(this.cursor, h - 1);
    this.height = h;
    if (!sel) {
      this.home();
      return;
    }
    this.fillAround(positionOf(sel), offset);
  }

  /**
   * Reads the window so that the event at (or the first after) `pos` is selected, `offset` rows
   * below the top when there are enough events above it.
   */
  private fillAround(pos: Position, offset: number): void {
    const below = this.after(justBefore(pos), this.height);
    if (below.length === 0) {
      this.end();
      return;
    }
    const above = this.before(positionOf(below[0]!), Math.max(offset, this.height - below.length));
    const all = above.concat(below);
    const start = Math.max(0, Math.min(above.length - offset, all.length - this.height));
    this.rows = all.slice(start, start + this.height);
    this.cursor = above.length - start;
  }

  home(): void {
    this.rows = this.after(START, this.height);
    this.cursor = 0;
  }

  end(): void {
    this.rows = this.before(END, this.height);
    this.cursor = Math.max(0, this.rows.length - 1);
  }

  /** True when the selected event is the last one (for follow mode's auto-scroll). */
  atEnd(): boolean {
    const sel = this.selected();
    if (!sel) return true;
    if (this.cursor < this.rows.length - 1) return false;
    return this.after(positionOf(sel), 1).length === 0;
  }

  /** Selects the event at or after `pos` (a third of the way down the screen, for context). */
  goTo(pos: Position): void {
    this.fillAround(pos, Math.floor(this.height / 3));
  }

  /** Moves the selection by `n` rows (negative: up), scrolling by as much as needed. */
  moveBy(n: number): void {
    if (n === 0 || this.rows.length === 0) {
      if (this.rows.length === 0) this.home();
      return;
    }
    if (n > 0) {
      if (this.cursor + n < this.rows.length) {
        this.cursor += n;
        return;
      }
      const extra = this.after(positionOf(this.rows[this.rows.length - 1]!), n);
      const all = this.rows.concat(extra);
      const target = Math.min(this.cursor + n, all.length - 1);
      // The window moves by n, and never further than showing the last rows in full.
      const start = Math.max(0, Math.min(n, all.length - this.height, target));
      this.rows = all.slice(start, start + this.height);
      this.cursor = target - start;
      if (this.cursor >= this.rows.length) this.cursor = this.rows.length - 1;
      return;
    }
    const up = -n;
    if (this.cursor - up >= 0) {
      this.cursor -= up;
      return;
    }
    const extra = this.before(positionOf(this.rows[0]!), up);
    const all = extra.concat(this.rows);
    const target = Math.max(0, this.cursor + extra.length - up);
    const start = Math.max(0, extra.length - up);
    this.rows = all.slice(start, start + this.height);
    this.cursor = Math.min(target - start, this.rows.length - 1);
  }

  /** Re-reads the rows on screen (new events may have arrived between them). */
  reload(): void {
    const sel = this.selected();
    if (!sel) {
      this.home();
      return;
    }
    this.fillAround(positionOf(sel), this.cursor);
  }
}
