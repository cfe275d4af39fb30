/**
 * The TUI's state and what every key does to it. Keys come in by name (keys.ts), the store is
 * read through the model (model/), and `frame()` hands the components a plain snapshot of the
 * screen. Reads happen while handling a key or a resize, never while drawing: drawing a frame
 * is a pure function of the state.
 *
 * Views stack: the event list is always at the bottom; a timeline, the incident list or an
 * incident go on top, and Esc pops them.
 */
import { describeObject } from '../correlate/resolve-ref.js';
import type { Expr } from '../query/ast.js';
import type { SqlFilter } from '../query/compile-sql.js';
import { END, START, type HistogramBucket, type Position, type StoredEvent } from '../store/reader.js';
import { detailLines, incidentColumns, incidentHeader, rowLayout, shortTime } from './format.js';
import type { Body, Frame, InputKind, InputView } from './frame.js';
import { splitText, type KeyPress } from './keys.js';
import { compileQuery, ERRORS, filterAnd, isEmptyQuery, WARNINGS, type CompiledQuery } from './model/filter.js';
import type { TuiModel } from './model/index.js';
import { IndexWindow } from './model/index-window.js';
import type { IncidentData, IncidentRow } from './model/incidents.js';
import { EventWindow, positionOf } from './model/event-window.js';
import { primaryObject, type EventDetail } from './model/objects.js';
import type { Bounds } from './model/overview.js';
import { stepAtOrAfter, stepOtherObjects, type TimelineData } from './model/timeline.js';
import { parseJump } from './model/time-jump.js';

export interface ControllerOptions {
  title?: string;
  color?: boolean;
  follow?: boolean;
  /** Clock for throttling follow-mode refreshes (tests pass their own). */
  now?: () => number;
  /** Told when follow mode starts and stops (the runner starts and stops the tailer). */
  onFollow?: (on: boolean) => void;
}

/** A view on top of the event list; `events` holds the visible entries' events, read on moves. */
type StackView =
  | { kind: 'timeline'; data: TimelineData; win: IndexWindow; events: Map<number, StoredEvent> }
  | { kind: 'incidents'; rows: IncidentRow[]; win: IndexWindow }
  | { kind: 'incident'; data: IncidentData; win: IndexWindow; events: Map<number, StoredEvent> };

interface InputState {
  kind: InputKind;
  text: string;
  caret: number;
  compiled?: CompiledQuery;
  problem?: { message: string; column?: number };
  history: number;
}

interface Overview {
  /** The filter text and the width it was computed for. */
  filter: string | undefined;
  width: number;
  count?: number;
  histogram?: HistogramBucket[];
}

const DAY = 86_400_000_000;
/** Follow mode recounts and redraws the histogram at most this often (milliseconds). */
const OVERVIEW_REFRESH_MS = 2000;

export type KeyOutcome = 'quit' | 'handled';

export class ViewController {
  private width = 80;
  private height = 24;
  private readonly win: EventWindow;
  private readonly stack: StackView[] = [];
  private filter: CompiledQuery | undefined;
  private search: CompiledQuery | undefined;
  private input: InputState | undefined;
  private readonly history: string[] = [];
  private help = false;
  private detailOpen = false;
  private detailFocus = false;
  private detailScroll = 0;
  private detailCache: EventDetail | undefined;
  private readonly marks = new Map<number, Position>();
  private message: { text: string; tone: 'info' | 'error' } | undefined;
  private follow: boolean;
  /** Follow mode: the selection is on the last event, so new events scroll into view. */
  private pinned = false;
  private dataBounds: Bounds | undefined;
  private overview: Overview | undefined;
  /** When follow mode's next recount is due (clock milliseconds; 0: none). */
  private overviewDueAt = 0;
  private lastOverviewAt = 0;
  /** What the last recount cost (milliseconds): a costly filter is recounted less often. */
  private lastOverviewCost = 0;
  private readonly title: string;
  private readonly color: boolean;
  private readonly clock: () => number;
  private readonly onFollow: ((on: boolean) => void) | undefined;
  /** Heights from the last layout. */
  private bodyHeight = 1;
  private detailHeight = 0;

  constructor(
    private readonly model: TuiModel,
    opts: ControllerOptions = {},
  ) {
    this.title = opts.title ?? 'ktrail';
    this.color = opts.color ?? false;
    this.follow = opts.follow ?? false;
    this.clock = opts.now ?? (() => Date.now());
    this.onFollow = opts.onFollow;
    this.win = new EventWindow(model.reader);
    this.dataBounds = model.bounds();
    this.relayout();
    if (this.follow) {
      this.win.end();
      this.pinned = true;
      this.onFollow?.(true);
    }
  }

  get following(): boolean {
    return this.follow;
  }

  /** The query clock: the end of the data, so `since 15m` means the bundle's last minutes. */
  private queryNow(): number {
    return this.dataBounds?.last.time ?? Date.now() * 1000;
  }

  private showDate(): boolean {
    const b = this.dataBounds;
    return !!b && Math.floor(b.first.time / DAY) !== Math.floor(b.last.time / DAY);
  }

  private top(): StackView | undefined {
    return this.stack[this.stack.length - 1];
  }

  // -------------------------------------------------------------------------------------------
  // Layout

  setSize(width: number, height: number): void {
    const w = Math.max(20, Math.floor(width) || 80);
    const h = Math.max(8, Math.floor(height) || 24);
    if (w === this.width && h === this.height) return;
    this.width = w;
    this.height = h;
    this.relayout();
  }

  /** Lines the current view's own header takes above its rows. */
  private viewHeaderLines(): number {
    const v = this.top();
    if (this.help || !v) return 0;
    if (v.kind === 'timeline') return 2;
    if (v.kind === 'incident') return incidentHeader(v.data, this.width, this.showDate()).length;
    return 1;
  }

  /** Splits the screen between its parts and fits the active window to its share. */
  private relayout(): void {
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
  private loadVisible(): void {
    const v = this.top();
    if (!v || v.kind === 'incidents') return;
    const [from, to] = v.win.visible();
    const ids = v.kind === 'timeline' ? v.data.steps.slice(from, to).map((s) => s.eventId) : v.data.evidence.slice(from, to).map((e) => e.eventId);
    v.events = new Map(this.model.eventsByIds(ids).map((e) => [e.id, e]));
  }

  private selectedEvent(): StoredEvent | undefined {
    const v = this.top();
    if (!v) return this.win.selected();
    if (v.kind === 'incidents') return undefined;
    const id = v.kind === 'timeline' ? v.data.steps[v.win.cursor]?.eventId : v.data.evidence[v.win.cursor]?.eventId;
    return id === undefined ? undefined : v.events.get(id);
  }

  private loadDetail(): void {
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

  private detailLineCount(): number {
    return this.detailCache ? detailLines(this.detailCache, this.width).length : 0;
  }

  private clampDetailScroll(): void {
    const visible = Math.max(1, this.detailHeight - 1);
    this.detailScroll = Math.max(0, Math.min(this.detailScroll, this.detailLineCount() - visible));
  }

  // -------------------------------------------------------------------------------------------
  // Deferred work: counts and the histogram read much more than a screen, so they are computed
  // after a screen is drawn (the App calls runPending once it has rendered).

  private overviewCurrent(): boolean {
    return this.overview !== undefined && this.overview.filter === this.filter?.text && this.overview.width === this.width;
  }

  /** Milliseconds until deferred work is due (0: now; undefined: nothing to do). */
  pendingDelay(): number | undefined {
    if (!this.overviewCurrent()) return 0;
    if (this.overviewDueAt > 0) return Math.max(0, this.overviewDueAt - this.clock());
    return undefined;
  }

  /** Counts the (filtered) events and draws the histogram for the current filter and width. */
  runPending(): void {
    this.overviewDueAt = 0;
    const started = this.clock();
    const sql = this.activeFilter();
    const overview: Overview = { filter: this.filter?.text, width: this.width };
    overview.count = this.model.count(sql);
    // The histogram spans all the data (filtered or not) so that its columns keep their times.
    const b = this.dataBounds;
    if (b) overview.histogram = this.model.histogram(b.first.time, b.last.time, this.width, sql);
    this.overview = overview;
    this.lastOverviewAt = this.clock();
    this.lastOverviewCost = this.lastOverviewAt - started;
  }

  private activeFilter(): SqlFilter | undefined {
    return this.filter && !isEmptyQuery(this.filter) ? this.filter.sql : undefined;
  }

  // -------------------------------------------------------------------------------------------
  // Follow mode

  /** Called periodically while following: picks up new events. True when the screen changed. */
  poll(): boolean {
    if (!this.follow || !this.model.dataChanged()) return false;
    this.onNewData();
    return true;
  }

  private onNewData(): void {
    this.win.invalidate();
    this.dataBounds = this.model.bounds();
    if (this.pinned) this.win.end();
    else this.win.reload();
    // Recount while events pour in, but not more often than every OVERVIEW_REFRESH_MS, and
    // spending at most a tenth of the time on it (a line filter over a million events is slow).
    const every = Math.max(OVERVIEW_REFRESH_MS, 10 * this.lastOverviewCost);
    if (this.overviewDueAt === 0) this.overviewDueAt = Math.max(this.clock(), this.lastOverviewAt + every);
    this.loadDetail();
  }

  // -------------------------------------------------------------------------------------------
  // Keys

  key(press: KeyPress): KeyOutcome {
    if (press.text !== undefined && press.text.length > 1) {
      const parts = splitText(press.text);
      if (parts.length !== 1 || parts[0]!.text !== press.text) {
        for (const part of parts) if (this.key(part) === 'quit') return 'quit';
        return 'handled';
      }
    }
    if (press.name === 'C-c') return 'quit';
    const out = this.handle(press);
    // Whether new events should scroll into view is decided by where the key left the selection
    // (once they are in the store, "the last event" has changed).
    if (this.follow && !this.input && !this.top()) this.pinned = this.win.atEnd();
    return out;
  }

  private handle(press: KeyPress): KeyOutcome {
    if (this.input) {
      this.inputKey(press);
      return 'handled';
    }
    this.message = undefined;
    if (press.name !== undefined) return this.command(press.name);
    // Several characters at once (a paste, or keys sent together): one command each.
    const chars = Array.from(press.text);
    for (let i = 0; i < chars.length; i++) {
      if (this.command(chars[i]!) === 'quit') return 'quit';
      if (this.input) {
        // A command opened an input: the rest is typed into it.
        const rest = chars.slice(i + 1).join('');
        if (rest) this.inputKey({ text: rest });
        break;
      }
    }
    return 'handled';
  }

  private flash(text: string, tone: 'info' | 'error' = 'info'): void {
    this.message = { text, tone };
  }

  private command(k: string): KeyOutcome {
    if (this.help) {
      if (k === 'q') return 'quit';
      this.help = false;
      this.relayout();
      return 'handled';
    }
    if (this.detailFocus && this.detailOpen && this.detailKey(k)) return 'handled';
    switch (k) {
      case 'q':
        return 'quit';
      case '?':
        this.help = true;
        this.relayout();
        return 'handled';
      case 'j':
      case 'down':
      case 'C-n':
        this.move(1);
        return 'handled';
      case 'k':
      case 'up':
      case 'C-p':
        this.move(-1);
        return 'handled';
      case ' ':
      case 'pagedown':
      case 'C-f':
        this.move(this.bodyHeight);
        return 'handled';
      case 'b':
      case 'pageup':
      case 'C-b':
        this.move(-this.bodyHeight);
        return 'handled';
      case 'g':
      case 'home':
        this.jumpEnd(false);
        return 'handled';
      case 'G':
      case 'end':
        this.jumpEnd(true);
        return 'handled';
      case 'enter':
        this.enter();
        return 'handled';
      case 'tab':
        if (this.detailOpen && this.detailCache) {
          this.detailFocus = !this.detailFocus;
        } else if (this.top()?.kind !== 'incidents') {
          this.flash('Enter opens the detail pane first');
        }
        return 'handled';
      case 'escape':
        this.back();
        return 'handled';
      case 't':
        this.timelineFromSelection();
        return 'handled';
      case 'i':
        this.openIncidents();
        return 'handled';
      case 'u':
        this.ownerTimeline();
        return 'handled';
      case 'o':
        this.showInList();
        return 'handled';
      case 'f':
        this.toggleFollow();
        return 'handled';
      case 'm':
        this.toggleMark();
        return 'handled';
      case "'":
        this.nextMark();
        return 'handled';
    }
    if (/^[1-9]$/.test(k)) {
      this.timelineOfDetailObject(Number(k) - 1);
      return 'handled';
    }
    if (k.length === 1 && '/s:eEwWnN'.includes(k)) {
      if (this.top()) {
        this.flash(`${k} works in the event list (Esc goes back to it)`);
        return 'handled';
      }
      this.listCommand(k);
    }
    return 'handled';
  }

  private listCommand(k: string): void {
    switch (k) {
      case '/':
        this.openInput('filter', this.filter?.text ?? '');
        return;
      case 's':
        this.openInput('search', this.search?.text ?? '');
        return;
      case ':':
        this.openInput('jump', '');
        return;
      case 'e':
      case 'E':
        this.nextWith(ERRORS, k === 'e' ? 1 : -1, 'error');
        return;
      case 'w':
      case 'W':
        this.nextWith(WARNINGS, k === 'w' ? 1 : -1, 'warning');
        return;
      case 'n':
      case 'N':
        this.searchNext(k === 'n' ? 1 : -1);
        return;
    }
  }

  /** Keys while the detail pane has the focus: they scroll it. False for keys it leaves alone. */
  private detailKey(k: string): boolean {
    const page = Math.max(1, this.detailHeight - 2);
    const moves: Record<string, number> = { j: 1, down: 1, k: -1, up: -1, ' ': page, pagedown: page, b: -page, pageup: -page };
    if (k in moves) this.detailScroll += moves[k]!;
    else if (k === 'g' || k === 'home') this.detailScroll = 0;
    else if (k === 'G' || k === 'end') this.detailScroll = Number.MAX_SAFE_INTEGER;
    else return false;
    this.clampDetailScroll();
    return true;
  }

  private move(n: number): void {
    const v = this.top();
    if (v) {
      v.win.moveBy(n);
      this.loadVisible();
    } else {
      this.win.moveBy(n);
    }
    this.loadDetail();
  }

  private jumpEnd(last: boolean): void {
    const v = this.top();
    if (v) {
      if (last) v.win.end();
      else v.win.home();
      this.loadVisible();
    } else if (last) this.win.end();
    else this.win.home();
    this.loadDetail();
  }

  private enter(): void {
    const v = this.top();
    if (v?.kind === 'incidents') {
      const row = v.rows[v.win.cursor];
      if (row) this.openIncident(row.id);
      return;
    }
    this.detailOpen = !this.detailOpen;
    this.detailFocus = false;
    this.detailCache = undefined;
    this.relayout();
  }

  private back(): void {
    if (this.detailFocus) {
      this.detailFocus = false;
      return;
    }
    if (this.detailOpen) {
      this.detailOpen = false;
      this.detailCache = undefined;
      this.relayout();
      return;
    }
    if (this.stack.length) {
      this.stack.pop();
      this.relayout();
    }
  }

  // -------------------------------------------------------------------------------------------
  // Timelines and incidents

  private openTimeline(objectId: number, fromEvent?: StoredEvent): void {
    const obj = this.model.object(objectId);
    if (!obj) {
      this.flash(`object ${objectId} is not in the store`, 'error');
      return;
    }
    const data = this.model.timeline(obj);
    const win = new IndexWindow(data.steps.length, this.bodyHeight);
    this.stack.push({ kind: 'timeline', data, win, events: new Map() });
    this.relayout();
    if (fromEvent) {
      const exact = data.steps.findIndex((s) => s.eventId === fromEvent.id);
      win.select(exact >= 0 ? exact : stepAtOrAfter(data.steps, fromEvent.time));
    }
    this.loadVisible();
    this.loadDetail();
    if (data.steps.length === 0) this.flash(`no events about ${describeObject(obj)}`);
  }

  /** `t`: the timeline of the selected event's object (in a timeline: another object's). */
  private timelineFromSelection(): void {
    const v = this.top();
    if (v?.kind === 'incidents') {
      const row = v.rows[v.win.cursor];
      if (row?.rootObjectId != null) this.openTimeline(row.rootObjectId);
      else this.flash('this incident names no stored object', 'error');
      return;
    }
    const e = this.selectedEvent();
    if (!e) {
      this.flash('no event selected');
      return;
    }
    if (v?.kind === 'timeline') {
      const step = v.data.steps[v.win.cursor]!;
      const other = stepOtherObjects(v.data, step)[0] ?? primaryObject(this.model.detail(e).linked, v.data.root.id)?.id;
      if (other === undefined) this.flash(`this step is only about ${describeObject(v.data.root)}`);
      else this.openTimeline(other, e);
      return;
    }
    const primary = primaryObject(this.model.detail(e).linked);
    if (primary) this.openTimeline(primary.id, e);
    else if (v?.kind === 'incident' && v.data.row.rootObjectId != null) this.openTimeline(v.data.row.rootObjectId, e);
    else this.flash('no object is linked to this event');
  }

  /** `u` in a timeline: the timeline of the object's nearest owner. */
  private ownerTimeline(): void {
    const v = this.top();
    if (v?.kind !== 'timeline') {
      this.flash('u works in a timeline: it opens the owner\'s');
      return;
    }
    const owner = v.data.owners[0];
    if (owner) this.openTimeline(owner.id, this.selectedEvent());
    else this.flash(`no owner of ${describeObject(v.data.root)} was seen`);
  }

  private timelineOfDetailObject(index: number): void {
    if (!this.detailOpen || !this.detailCache) {
      this.flash('digits pick an object of the detail pane (Enter opens it)');
      return;
    }
    const o = this.detailCache.linked[index];
    if (!o) {
      this.flash(`the event has ${this.detailCache.linked.length} linked objects`);
      return;
    }
    this.openTimeline(o.id, this.detailCache.event);
  }

  private openIncidents(): void {
    const rows = this.model.incidents.list();
    const existing = this.stack.findIndex((v) => v.kind === 'incidents');
    if (existing >= 0) this.stack.splice(existing);
    this.stack.push({ kind: 'incidents', rows, win: new IndexWindow(rows.length, this.bodyHeight) });
    this.relayout();
    if (rows.length === 0) this.flash('no incidents in this store');
  }

  private openIncident(id: number): void {
    const data = this.model.incidents.load(id);
    if (!data) {
      this.flash(`incident ${id} is gone`, 'error');
      return;
    }
    this.stack.push({ kind: 'incident', data, win: new IndexWindow(data.evidence.length, this.bodyHeight), events: new Map() });
    this.relayout();
  }

  /** `o`: back to the event list, on the selected event. */
  private showInList(): void {
    const e = this.selectedEvent();
    if (!e || !this.top()) return;
    this.stack.length = 0;
    this.relayout();
    this.win.goTo(positionOf(e));
    if (this.win.selected()?.id !== e.id) this.flash('the filter hides that event: showing the nearest one after it');
    this.loadDetail();
  }

  // -------------------------------------------------------------------------------------------
  // Finding things

  private goTo(pos: Position): void {
    this.win.goTo(pos);
    this.loadDetail();
  }

  /** The next (dir 1) or previous (-1) event after the selection that satisfies `sql`. */
  private findFrom(sql: SqlFilter, dir: 1 | -1, from: Position): StoredEvent | undefined {
    const page = dir > 0 ? this.model.reader.page({ after: from, limit: 1, filter: sql }) : this.model.reader.page({ before: from, limit: 1, filter: sql });
    return page[0];
  }

  private selectionPosition(dir: 1 | -1): Position {
    const sel = this.win.selected();
    return sel ? positionOf(sel) : dir > 0 ? START : END;
  }

  private nextWith(extra: Expr, dir: 1 | -1, what: string): void {
    const found = this.findFrom(filterAnd(this.filter, extra, this.queryNow()), dir, this.selectionPosition(dir));
    if (found) this.goTo(positionOf(found));
    else this.flash(`no ${dir > 0 ? 'later' : 'earlier'} ${what}`);
  }

  private searchNext(dir: 1 | -1): void {
    if (!this.search) {
      this.flash('no search yet: s starts one');
      return;
    }
    const sql = filterAnd(this.filter, this.search.expr, this.queryNow());
    let found = this.findFrom(sql, dir, this.selectionPosition(dir));
    if (!found) {
      found = this.findFrom(sql, dir, dir > 0 ? START : END);
      if (found) this.flash(`search wrapped to the ${dir > 0 ? 'start' : 'end'}`);
    }
    if (found) this.goTo(positionOf(found));
    else this.flash(`no match for ${this.search.text}`);
  }

  private toggleMark(): void {
    const e = this.selectedEvent();
    if (!e) return;
    if (this.marks.has(e.id)) this.marks.delete(e.id);
    else this.marks.set(e.id, positionOf(e));
  }

  private nextMark(): void {
    if (this.marks.size === 0) {
      this.flash('no marks: m marks the selected event');
      return;
    }
    if (this.top()) this.stack.length = 0;
    const sorted = [...this.marks.values()].sort((a, b) => a.time - b.time || a.id - b.id);
    const sel = this.win.selected();
    const next = (sel && sorted.find((p) => p.time > sel.time || (p.time === sel.time && p.id > sel.id))) ?? sorted[0]!;
    this.relayout();
    this.goTo(next);
    if (this.win.selected()?.id !== next.id) this.flash('the filter hides that mark: showing the nearest event after it');
  }

  private toggleFollow(): void {
    this.follow = !this.follow;
    this.onFollow?.(this.follow);
    if (this.follow) {
      this.model.dataChanged(); // take the store as it is now
      this.win.invalidate();
      this.dataBounds = this.model.bounds();
      this.stack.length = 0;
      this.relayout();
      this.win.end();
      this.pinned = true;
      this.overviewDueAt = this.clock();
      this.loadDetail();
      this.flash('following: new events appear at the end');
    } else {
      this.flash('follow off');
    }
  }

  // -------------------------------------------------------------------------------------------
  // The input line (filter, search, jump)

  private openInput(kind: InputKind, text: string): void {
    this.input = { kind, text, caret: text.length, history: this.history.length };
    this.check();
    this.relayout();
  }

  private closeInput(): void {
    this.input = undefined;
    this.relayout();
  }

  /** Checks the text as typed: a query's problem shows under its column at once. */
  private check(): void {
    const inp = this.input;
    if (!inp) return;
    inp.problem = undefined;
    inp.compiled = undefined;
    if (inp.kind === 'jump') return;
    const out = compileQuery(inp.text, this.queryNow());
    if (out.ok) inp.compiled = out.query;
    else inp.problem = { message: out.problem.message, column: out.problem.column };
  }

  private inputKey(press: KeyPress): void {
    const inp = this.input!;
    if (press.text !== undefined) {
      // Control characters (a pasted escape sequence) never enter the text.
      // eslint-disable-next-line no-control-regex
      const clean = press.text.replace(/[\x00-\x1f\x7f-\x9f]/g, '');
      inp.text = inp.text.slice(0, inp.caret) + clean + inp.text.slice(inp.caret);
      inp.caret += clean.length;
      this.check();
      return;
    }
    switch (press.name) {
      case 'escape':
        this.closeInput();
        return;
      case 'enter':
        this.applyInput();
        return;
      case 'backspace':
        if (inp.caret > 0) {
          inp.text = inp.text.slice(0, inp.caret - 1) + inp.text.slice(inp.caret);
          inp.caret--;
        }
        break;
      case 'C-d':
        inp.text = inp.text.slice(0, inp.caret) + inp.text.slice(inp.caret + 1);
        break;
      case 'left':
        inp.caret = Math.max(0, inp.caret - 1);
        break;
      case 'right':
        inp.caret = Math.min(inp.text.length, inp.caret + 1);
        break;
      case 'home':
      case 'C-a':
        inp.caret = 0;
        break;
      case 'end':
      case 'C-e':
        inp.caret = inp.text.length;
        break;
      case 'C-u':
        inp.text = inp.text.slice(inp.caret);
        inp.caret = 0;
        break;
      case 'up':
      case 'down': {
        if (inp.kind === 'jump' || this.history.length === 0) break;
        inp.history = Math.max(0, Math.min(this.history.length, inp.history + (press.name === 'up' ? -1 : 1)));
        inp.text = this.history[inp.history] ?? '';
        inp.caret = inp.text.length;
        break;
      }
      case 'tab':
      case 'backtab':
        if (inp.kind !== 'jump') inp.kind = inp.kind === 'filter' ? 'search' : 'filter';
        break;
      default:
        return;
    }
    this.check();
  }

  private remember(text: string): void {
    if (!text || this.history[this.history.length - 1] === text) return;
    this.history.push(text);
    if (this.history.length > 100) this.history.shift();
  }

  private applyInput(): void {
    const inp = this.input!;
    if (inp.kind === 'jump') {
      const out = parseJump(inp.text, { cursor: this.win.selected()?.time, start: this.dataBounds?.first.time });
      if (!out.ok) {
        inp.problem = { message: out.error };
        return;
      }
      this.closeInput();
      this.goTo({ time: out.time, id: 0 });
      const sel = this.win.selected();
      this.flash(sel ? `jumped to ${shortTime(out.time, this.showDate())}` : 'nothing at that time');
      return;
    }
    if (!inp.compiled) return; // the problem is on screen already
    const q = inp.compiled;
    this.remember(q.text);
    if (inp.kind === 'filter') {
      this.filter = isEmptyQuery(q) ? undefined : q;
      const sel = this.win.selected();
      this.closeInput();
      this.win.setFilter(this.activeFilter(), sel ? positionOf(sel) : undefined);
      this.loadDetail();
      this.flash(this.filter ? `filter: ${q.text}` : 'filter cleared');
      return;
    }
    this.search = isEmptyQuery(q) ? undefined : q;
    this.closeInput();
    if (this.search) this.searchNext(1);
    else this.flash('search cleared');
  }

  // -------------------------------------------------------------------------------------------
  // The frame

  private positionText(): string {
    const b = this.dataBounds;
    const e = this.selectedEvent();
    if (!b || !e) return '';
    const spanUs = b.last.time - b.first.time;
    const pct = spanUs > 0 ? Math.round(((e.time - b.first.time) / spanUs) * 100) : 100;
    return `${shortTime(e.time, this.showDate())} ${pct}%`;
  }

  private hints(): string[] {
    const v = this.top();
    if (this.help) return ['any key: close help', 'q: quit'];
    if (this.input) {
      return this.input.kind === 'jump' ? ['Enter: jump', 'Esc: cancel'] : ['Enter: apply', 'Esc: cancel', 'Tab: filter/search', '↑↓: history'];
    }
    if (this.detailFocus) return ['j k PgDn PgUp: scroll the detail', 'Tab: back to the list', 'Esc: unfocus'];
    if (!v) return ['?:help', 'q:quit', '/:filter', 'Enter:detail', 't:timeline', 'i:incidents', 'e/w:errors', 's:search', '::time', 'f:follow'];
    if (v.kind === 'timeline') return ['Esc:back', '?:help', 'q:quit', 'Enter:detail', 't:other object', 'u:owner', 'o:show in list'];
    if (v.kind === 'incidents') return ['Esc:back', '?:help', 'q:quit', 'Enter:open', 't:root timeline'];
    return ['Esc:back', '?:help', 'q:quit', 'Enter:detail', 't:timeline', 'o:show in list'];
  }

  private body(): Body {
    const v = this.top();
    const layout = rowLayout(this.width, this.showDate());
    const marks = new Set(this.marks.keys());
    if (this.help) return { view: 'help' };
    if (!v) {
      const empty = this.filter ? `no events match ${this.filter.text}` : 'no events in this store';
      return { view: 'list', rows: this.win.rows, cursor: this.win.cursor, marks, layout, empty };
    }
    const [from, to] = v.win.visible();
    if (v.kind === 'incidents') {
      return {
        view: 'incidents',
        visible: v.rows.slice(from, to),
        cursor: v.win.cursor - from,
        total: v.rows.length,
        columns: incidentColumns(v.rows, this.width, this.showDate()),
      };
    }
    if (v.kind === 'timeline') {
      return {
        view: 'timeline',
        data: v.data,
        visible: v.data.steps.slice(from, to).map((step) => ({ step, event: v.events.get(step.eventId) })),
        cursor: v.win.cursor - from,
        marks,
        layout,
      };
    }
    return {
      view: 'incident',
      data: v.data,
      visible: v.data.evidence.slice(from, to).map((entry) => ({ entry, event: v.events.get(entry.eventId) })),
      cursor: v.win.cursor - from,
      marks,
      layout,
    };
  }

  frame(): Frame {
    const v = this.top();
    // Counts of another width still hold; those of another filter do not.
    const ov = this.overview?.filter === this.filter?.text ? this.overview : undefined;
    const frame: Frame = {
      width: this.width,
      height: this.height,
      color: this.color,
      header: {
        title: this.title,
        total: ov?.count,
        filter: this.filter?.text,
        search: this.search?.text,
        follow: this.follow,
        marks: this.marks.size,
      },
      body: this.body(),
      bodyHeight: this.bodyHeight,
      status: { hints: this.hints(), position: this.positionText(), message: this.message },
    };
    if (!v && !this.help) {
      const sel = this.win.selected();
      const buckets = ov?.histogram;
      let cursorBucket: number | undefined;
      if (buckets && sel) {
        const i = buckets.findIndex((b) => sel.time >= b.start && sel.time < b.end);
        cursorBucket = i >= 0 ? i : sel.time >= (buckets[buckets.length - 1]?.start ?? Infinity) ? buckets.length - 1 : undefined;
      }
      frame.histogram = { buckets, cursorBucket };
    }
    if (this.detailHeight > 0 && this.detailCache && this.detailOpen) {
      frame.detail = { detail: this.detailCache, scroll: this.detailScroll, height: this.detailHeight, focused: this.detailFocus };
    }
    if (this.input) {
      const inp: InputView = { kind: this.input.kind, text: this.input.text, caret: this.input.caret };
      if (this.input.problem) inp.problem = this.input.problem;
      frame.input = inp;
    }
    return frame;
  }
}
