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
import { InputLine } from './input-line.js';
import { hintsFor, lookup, viewsBinding, type Commands, type KeyContext, type ViewContext } from './keymap.js';
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
  /** Open on the incident list (the demo: what ktrail found is the story). */
  start?: 'incidents';
}

/** A view on top of the event list; `events` holds the visible entries' events, read on moves. */
type StackView =
  | { kind: 'timeline'; data: TimelineData; win: IndexWindow; events: Map<number, StoredEvent> }
  | { kind: 'incidents'; rows: IncidentRow[]; win: IndexWindow }
  | { kind: 'incident'; data: IncidentData; win: IndexWindow; events: Map<number, StoredEvent> };

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
  private input: InputLine | undefined;
  /** The input's text compiled, or what is wrong with it (checked as it is typed). */
  private compiled: CompiledQuery | undefined;
  private problem: { message: string; column?: number } | undefined;
  /** Set by the quit command while a key is dispatched. */
  private quitting = false;
  private readonly commands: Commands = this.bindCommands();
  private readonly history: string[] = [];
  private help = false;
  private detailOpen = false;
  private detailFocus = false;
  private detailScroll = 0;
  private detailCache: EventDetail | undefined;
  private readonly marks = new Map<number, Position>();
  private incidentRows: IncidentRow[] = [];
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
    // What ktrail found comes first: the incidents are counted in the header, marked on the
    // histogram, and named on the first screen (or listed, for the demo).
    this.incidentRows = model.incidents.list();
    const n = this.incidentRows.length;
    if (n > 0 && opts.start === 'incidents' && !this.follow) this.openIncidents();
    else if (n > 0) this.flash(`${n} incident${n === 1 ? '' : 's'} found: i lists them`);
  }

  /** What the keymap's actions call. */
  private bindCommands(): Commands {
    return {
      view: {
        quit: () => {
          this.quitting = true;
        },
        openHelp: () => {
          this.help = true;
          this.relayout();
        },
        closeHelp: () => {
          this.help = false;
          this.relayout();
        },
        move: (by) => this.move(by),
        jumpEnd: (last) => this.jumpEnd(last),
        enter: () => this.enter(),
        toggleDetailFocus: () => this.toggleDetailFocus(),
        back: () => this.back(),
        timeline: () => this.timelineFromSelection(),
        ownerTimeline: () => this.ownerTimeline(),
        detailObjectTimeline: (i) => this.timelineOfDetailObject(i),
        incidents: () => this.openIncidents(),
        showInList: () => this.showInList(),
        toggleFollow: () => this.toggleFollow(),
        toggleMark: () => this.toggleMark(),
        nextMark: () => this.nextMark(),
        openInput: (kind) => this.inList(() => this.openInput(kind), kind === 'jump' ? ':' : kind === 'filter' ? '/' : 's'),
        nextError: (dir) => this.inList(() => this.nextWith(ERRORS, dir, 'error'), dir > 0 ? 'e' : 'E'),
        nextWarning: (dir) => this.inList(() => this.nextWith(WARNINGS, dir, 'warning'), dir > 0 ? 'w' : 'W'),
        searchNext: (dir) => this.inList(() => this.searchNext(dir), dir > 0 ? 'n' : 'N'),
        scrollDetail: (by) => this.scrollDetail(by),
      },
      input: {
        cancel: () => this.closeInput(),
        apply: () => this.applyInput(),
        backspace: () => this.input?.backspace(),
        deleteForward: () => this.input?.deleteForward(),
        caret: (to) => this.input?.caret(to),
        killToStart: () => this.input?.killToStart(),
        history: (dir) => this.input?.history(dir),
        switchKind: () => this.input?.switchKind(),
      },
    };
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
  // Keys: looked up in the keymap (keymap.ts) for the contexts the user is in

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
    if (this.input && press.text !== undefined) {
      this.input.insert(press.text);
      this.check();
      return 'handled';
    }
    if (!this.input) this.message = undefined;
    if (press.name !== undefined) return this.command(press.name);
    // Several characters at once (a paste, or keys sent together): one command each.
    const chars = Array.from(press.text);
    for (let i = 0; i < chars.length; i++) {
      if (this.command(chars[i]!) === 'quit') return 'quit';
      if (this.input) {
        // A command opened an input: the rest is typed into it.
        const rest = chars.slice(i + 1).join('');
        if (rest) this.handle({ text: rest });
        break;
      }
    }
    return 'handled';
  }

  /** Where the user is, most specific first: the keymap looks a key up in that order. */
  private contexts(): KeyContext[] {
    if (this.input) return [this.input.kind === 'jump' ? 'jump' : 'query'];
    if (this.help) return ['help'];
    const view: ViewContext = this.top()?.kind ?? 'list';
    return this.detailFocus && this.detailOpen ? ['detail', view] : [view];
  }

  private command(k: string): KeyOutcome {
    const contexts = this.contexts();
    const binding = lookup(contexts, k);
    if (!binding) {
      const where = this.input ? [] : viewsBinding(k);
      if (where.length) this.flash(where.length === 1 && where[0] === 'list' ? `${k} works in the event list (Esc goes back to it)` : `${k} works in: ${where.join(', ')}`);
      return 'handled';
    }
    this.quitting = false;
    const before = this.input && `${this.input.kind} ${this.input.text}`;
    binding.action(this.commands, k);
    // An edit is checked again; applying keeps the problem it found on screen.
    if (this.input && before !== `${this.input.kind} ${this.input.text}`) this.check();
    return this.quitting ? 'quit' : 'handled';
  }

  private flash(text: string, tone: 'info' | 'error' = 'info'): void {
    this.message = { text, tone };
  }

  private scrollDetail(by: number | 'page' | '-page' | 'top' | 'bottom'): void {
    const page = Math.max(1, this.detailHeight - 2);
    if (by === 'top') this.detailScroll = 0;
    else if (by === 'bottom') this.detailScroll = Number.MAX_SAFE_INTEGER;
    else this.detailScroll += by === 'page' ? page : by === '-page' ? -page : by;
    this.clampDetailScroll();
  }

  private toggleDetailFocus(): void {
    if (this.detailOpen && this.detailCache) this.detailFocus = !this.detailFocus;
    else this.flash('Enter opens the detail pane first');
  }

  private inList(work: () => void, what: string): void {
    if (this.top()) this.flash(`${what} works in the event list (Esc goes back to it)`);
    else work();
  }

  private move(by: number | 'page' | '-page'): void {
    const n = by === 'page' ? this.bodyHeight : by === '-page' ? -this.bodyHeight : by;
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
    this.incidentRows = rows;
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
  // The input line (filter, search, jump): editing in input-line.ts, meaning here

  private openInput(kind: InputKind): void {
    const text = kind === 'filter' ? (this.filter?.text ?? '') : kind === 'search' ? (this.search?.text ?? '') : '';
    this.input = new InputLine(kind, text, this.history);
    this.check();
    this.relayout();
  }

  private closeInput(): void {
    this.input = undefined;
    this.problem = undefined;
    this.compiled = undefined;
    this.relayout();
  }

  /** Checks the text as typed: a query's problem shows under its column at once. */
  private check(): void {
    const inp = this.input;
    if (!inp) return;
    this.problem = undefined;
    this.compiled = undefined;
    if (inp.kind === 'jump') return;
    const out = compileQuery(inp.text, this.queryNow());
    if (out.ok) this.compiled = out.query;
    else this.problem = { message: out.problem.message, column: out.problem.column };
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
        this.problem = { message: out.error };
        return;
      }
      this.closeInput();
      this.goTo({ time: out.time, id: 0 });
      const sel = this.win.selected();
      this.flash(sel ? `jumped to ${shortTime(out.time, this.showDate())}` : 'nothing at that time');
      return;
    }
    if (!this.compiled) return; // the problem is on screen already
    const q = this.compiled;
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
    return hintsFor(this.contexts());
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
        incidents: this.incidentRows.length,
        ...severityTotals(ov?.histogram),
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
      frame.histogram = { buckets, cursorBucket, spans: this.incidentRows };
    }
    if (this.detailHeight > 0 && this.detailCache && this.detailOpen) {
      frame.detail = { detail: this.detailCache, scroll: this.detailScroll, height: this.detailHeight, focused: this.detailFocus };
    }
    if (this.input) {
      const inp: InputView = { kind: this.input.kind, text: this.input.text, caret: this.input.caretAt };
      if (this.problem) inp.problem = this.problem;
      frame.input = inp;
    }
    return frame;
  }
}

/** Errors and warnings in the histogram's buckets (which count every event by severity). */
function severityTotals(buckets: readonly HistogramBucket[] | undefined): { errors?: number; warnings?: number } {
  if (!buckets) return {};
  let errors = 0;
  let warnings = 0;
  for (const b of buckets) {
    errors += b.counts[3] + b.counts[4];
    warnings += b.counts[2];
  }
  return { errors, warnings };
}
