/**
 * The TUI's state and its layout: the view stack over the event list, the detail pane, the
 * filter, search and input line, marks, follow mode's bookkeeping, and how the screen is split
 * between them. The other modules of control/ act on this state (one job each); controller.ts
 * dispatches keys to them. Reads happen while a key or a resize is handled, never while drawing.
 *
 * Views stack: the event list is always at the bottom; a timeline, the incident list or an
 * incident go on top, and Esc pops them.
 */
import type { SqlFilter } from '../../query/compile-sql.js';
import type { HistogramBucket, Position, StoredEvent } from '../../store/reader.js';
import { detailLines, incidentHeader } from '../format.js';
import type { InputLine } from '../input-line.js';
import type { KeyContext, ViewContext } from '../keymap.js';
import { isEmptyQuery, type CompiledQuery } from '../model/filter.js';
import type { TuiModel } from '../model/index.js';
import type { IndexWindow } from '../model/index-window.js';
import type { IncidentData, IncidentRow } from '../model/incidents.js';
import { EventWindow } from '../model/event-window.js';
import type { EventDetail } from '../model/objects.js';
import type { Bounds } from '../model/overview.js';
import type { TimelineData } from '../model/timeline.js';

/** A view on top of the event list; `events` holds the visible entries' events, read on moves. */
export type StackView =
  | { kind: 'timeline'; data: TimelineData; win: IndexWindow; events: Map<number, StoredEvent> }
  | { kind: 'incidents'; rows: IncidentRow[]; win: IndexWindow }
  | { kind: 'incident'; data: IncidentData; win: IndexWindow; events: Map<number, StoredEvent> };

/** Counts and the histogram, for one filter and width (computed after a screen is drawn). */
export interface Overview {
  /** The filter text and the width it was computed for. */
  filter: string | undefined;
  width: number;
  count?: number;
  histogram?: HistogramBucket[];
}

export interface StateOptions {
  title: string;
  color: boolean;
  follow: boolean;
  clock: () => number;
  onFollow: ((on: boolean) => void) | undefined;
}

const DAY = 86_400_000_000;

export class TuiState {
  width = 80;
  height = 24;
  readonly win: EventWindow;
  readonly stack: StackView[] = [];
  filter: CompiledQuery | undefined;
  search: CompiledQuery | undefined;
  input: InputLine | undefined;
  /** The input's text compiled, or what is wrong with it (checked as it is typed). */
  compiled: CompiledQuery | undefined;
  problem: { message: string; column?: number } | undefined;
  readonly history: string[] = [];
  help = false;
  detailOpen = false;
  detailFocus = false;
  detailScroll = 0;
  detailCache: EventDetail | undefined;
  readonly marks = new Map<number, Position>();
  incidentRows: IncidentRow[] = [];
  message: { text: string; tone: 'info' | 'error' } | undefined;
  follow: boolean;
  /** Follow mode: the selection is on the last event, so new events scroll into view. */
  pinned = false;
  dataBounds: Bounds | undefined;
  overview: Overview | undefined;
  /** When follow mode's next recount is due (clock milliseconds; 0: none). */
  overviewDueAt = 0;
  lastOverviewAt = 0;
  /** What the last recount cost (milliseconds): a costly filter is recounted less often. */
  lastOverviewCost = 0;
  readonly title: string;
  readonly color: boolean;
  readonly clock: () => number;
  readonly onFollow: ((on: boolean) => void) | undefined;
  /** Heights from the last layout. */
  bodyHeight = 1;
  detailHeight = 0;

  constructor(
    readonly model: TuiModel,
    opts: StateOptions,
  ) {
    this.title = opts.title;
    this.color = opts.color;
    this.follow = opts.follow;
    this.clock = opts.clock;
    this.onFollow = opts.onFollow;
    this.win = new EventWindow(model.reader);
    this.dataBounds = model.bounds();
  }

  /** The query clock: the end of the data, so `since 15m` means the bundle's last minutes. */
  queryNow(): number {
    return this.dataBounds?.last.time ?? Date.now() * 1000;
  }

  showDate(): boolean {
    const b = this.dataBounds;
    return !!b && Math.floor(b.first.time / DAY) !== Math.floor(b.last.time / DAY);
  }

  top(): StackView | undefined {
    return this.stack[this.stack.length - 1];
  }

  activeFilter(): SqlFilter | undefined {
    return this.filter && !isEmptyQuery(this.filter) ? this.filter.sql : undefined;
  }

  flash(text: string, tone: 'info' | 'error' = 'info'): void {
    this.message = { text, tone };
  }

  /** Where the user is, most specific first: the keymap looks a key up in that order. */
  contexts(): KeyContext[] {
    if (this.input) return [this.input.kind === 'jump' ? 'jump' : 'query'];
    if (this.help) return ['help'];
    const view: ViewContext = this.top()?.kind ?? 'list';
    return this.detailFocus && this.detailOpen ? ['detail', view] : [view];
  }

  // -------------------------------------------------------------------------------------------
  // Layout

  /** Lines the current view's own header takes above its rows. */
  private viewHeaderLines(): number {
    const v = this.top();
    if (this.help || !v) return 0;
    if (v.kind === 'timeline') return 2;
    if (v.kind === 'incident') return incidentHeader(v.data, this.width, this.showDate()).length;
    return 1;
  }

  /** Splits the screen between its parts and fits the active window to its share. */
  relayout(): void {
    const v = this.top();
    let rest = this.height - 2; // header and status lines
    if (this.input) rest -= 2; // the input and its problem line
    if (!v && !this.help) rest -= 1; // the histogram
    rest -= this.viewHeaderLines();
    const wantDetail = this.detailOpen && !this.help && v?.kind !== 'incidents';
    this.detailHeight = wantDetail ? Math.max(4, Math.min(rest - 3, Math.floor(rest / 2))) : 0;
    if (this.detailHeight < 4) this.detailHeight = 0;
    this.bodyHeight = Math.max(1, rest - this.detailHeight);
    if (v) {
      v.win.setHeight(this.bodyHeight);
      this.loadVisible();
    } else {
      this.win.setHeight(this.bodyHeight);
    }
    this.loadDetail();
  }

  /** Reads the events of the visible entries of a timeline or an incident (cached by id). */
  loadVisible(): void {
    const v = this.top();
    if (!v || v.kind === 'incidents') return;
    const [from, to] = v.win.visible();
    const ids = v.kind === 'timeline' ? v.data.steps.slice(from, to).map((s) => s.eventId) : v.data.evidence.slice(from, to).map((e) => e.eventId);
    v.events = new Map(this.model.eventsByIds(ids).map((e) => [e.id, e]));
  }

  selectedEvent(): StoredEvent | undefined {
    const v = this.top();
    if (!v) return this.win.selected();
    if (v.kind === 'incidents') return undefined;
    const id = v.kind === 'timeline' ? v.data.steps[v.win.cursor]?.eventId : v.data.evidence[v.win.cursor]?.eventId;
    return id === undefined ? undefined : v.events.get(id);
  }

  loadDetail(): void {
    if (!this.detailOpen) return;
    const e = this.selectedEvent();
    if (!e) {
      this.detailCache = undefined;
      return;
    }
    if (this.detailCache?.event.id !== e.id) {
      this.detailCache = this.model.detail(e);
      this.detailScroll = 0;
    }
    this.clampDetailScroll();
  }

  clampDetailScroll(): void {
    const visible = Math.max(1, this.detailHeight - 1);
    const lines = this.detailCache ? detailLines(this.detailCache, this.width).length : 0;
    this.detailScroll = Math.max(0, Math.min(this.detailScroll, lines - visible));
  }

  /** Selects the event at (or after) a position in the event list. */
  goTo(pos: Position): void {
    this.win.goTo(pos);
    this.loadDetail();
  }
}
