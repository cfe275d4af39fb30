/**
 * The TUI's controller: keys in, frames out. Keys come in by name (keys.ts) and are looked up in
 * the keymap (keymap.ts, every key once) for the contexts the user is in; the bound action calls
 * one of control/'s modules, each with one job, over the shared state (control/state.ts):
 * navigate.ts (selection, detail pane, marks, finding), views.ts (timelines and incidents),
 * prompt.ts (filter, search and jump), follow.ts (follow mode and the deferred overview), and
 * render.ts, which makes `frame()`, the plain snapshot the components draw.
 */
import { frame } from './control/render.js';
import { pendingDelay, poll, runPending, startFollowing, toggleFollow, updatePinned } from './control/follow.js';
import { back, inList, jumpEnd, move, nextMark, nextWith, scrollDetail, searchNext, toggleDetailFocus, toggleMark } from './control/navigate.js';
import { applyInput, check, closeInput, openInput } from './control/prompt.js';
import { TuiState } from './control/state.js';
import { enter, openIncidents, ownerTimeline, showInList, timelineFromSelection, timelineOfDetailObject } from './control/views.js';
import type { Frame } from './frame.js';
import { lookup, viewsBinding, type Commands } from './keymap.js';
import { splitText, type KeyPress } from './keys.js';
import { ERRORS, WARNINGS } from './model/filter.js';
import type { TuiModel } from './model/index.js';

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

export type KeyOutcome = 'quit' | 'handled';

export class ViewController {
  private readonly s: TuiState;
  /** Set by the quit command while a key is dispatched. */
  private quitting = false;
  private readonly commands: Commands = this.bindCommands();

  constructor(model: TuiModel, opts: ControllerOptions = {}) {
    const s = new TuiState(model, {
      title: opts.title ?? 'ktrail',
      color: opts.color ?? false,
      follow: opts.follow ?? false,
      clock: opts.now ?? (() => Date.now()),
      onFollow: opts.onFollow,
    });
    this.s = s;
    s.relayout();
    if (s.follow) startFollowing(s);
    // What ktrail found comes first: the incidents are counted in the header, marked on the
    // histogram, and named on the first screen (or listed, for the demo).
    s.incidentRows = model.incidents.list();
    const n = s.incidentRows.length;
    if (n > 0 && opts.start === 'incidents' && !s.follow) openIncidents(s);
    else if (n > 0) s.flash(`${n} incident${n === 1 ? '' : 's'} found: i lists them`);
  }

  /** What the keymap's actions call: control/'s functions, given the state by `on`. */
  private bindCommands(): Commands {
    const on =
      <A extends unknown[]>(f: (s: TuiState, ...args: A) => void) =>
      (...args: A): void =>
        f(this.s, ...args);
    const setHelp = (s: TuiState, open: boolean): void => {
      s.help = open;
      s.relayout();
    };
    return {
      view: {
        quit: () => {
          this.quitting = true;
        },
        openHelp: () => setHelp(this.s, true),
        closeHelp: () => setHelp(this.s, false),
        move: on(move),
        jumpEnd: on(jumpEnd),
        enter: on(enter),
        toggleDetailFocus: on(toggleDetailFocus),
        back: on(back),
        timeline: on(timelineFromSelection),
        ownerTimeline: on(ownerTimeline),
        detailObjectTimeline: on(timelineOfDetailObject),
        incidents: on(openIncidents),
        showInList: on(showInList),
        toggleFollow: on(toggleFollow),
        toggleMark: on(toggleMark),
        nextMark: on(nextMark),
        // Keys that act on the event list only say so elsewhere.
        openInput: on((s, kind) => inList(s, () => openInput(s, kind), kind === 'jump' ? ':' : kind === 'filter' ? '/' : 's')),
        nextError: on((s, dir) => inList(s, () => nextWith(s, ERRORS, dir, 'error'), dir > 0 ? 'e' : 'E')),
        nextWarning: on((s, dir) => inList(s, () => nextWith(s, WARNINGS, dir, 'warning'), dir > 0 ? 'w' : 'W')),
        searchNext: on((s, dir) => inList(s, () => searchNext(s, dir), dir > 0 ? 'n' : 'N')),
        scrollDetail: on(scrollDetail),
      },
      input: {
        cancel: on(closeInput),
        apply: on(applyInput),
        backspace: () => this.s.input?.backspace(),
        deleteForward: () => this.s.input?.deleteForward(),
        caret: (to) => this.s.input?.caret(to),
        killToStart: () => this.s.input?.killToStart(),
        history: (dir) => this.s.input?.history(dir),
        switchKind: () => this.s.input?.switchKind(),
      },
    };
  }

  get following(): boolean {
    return this.s.follow;
  }

  setSize(width: number, height: number): void {
    const w = Math.max(20, Math.floor(width) || 80);
    const h = Math.max(8, Math.floor(height) || 24);
    if (w === this.s.width && h === this.s.height) return;
    this.s.width = w;
    this.s.height = h;
    this.s.relayout();
  }

  /** Milliseconds until deferred work (counts, the histogram) is due (0: now; undefined: nothing to do). */
  pendingDelay(): number | undefined {
    return pendingDelay(this.s);
  }

  /** Counts the (filtered) events and draws the histogram: called once a screen is drawn. */
  runPending(): void {
    runPending(this.s);
  }

  /** Called periodically while following: picks up new events. True when the screen changed. */
  poll(): boolean {
    return poll(this.s);
  }

  frame(): Frame {
    return frame(this.s);
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
    updatePinned(this.s);
    return out;
  }

  private handle(press: KeyPress): KeyOutcome {
    const s = this.s;
    if (s.input && press.text !== undefined) {
      s.input.insert(press.text);
      check(s);
      return 'handled';
    }
    if (!s.input) s.message = undefined;
    if (press.name !== undefined) return this.command(press.name);
    // Several characters at once (a paste, or keys sent together): one command each.
    const chars = Array.from(press.text);
    for (let i = 0; i < chars.length; i++) {
      if (this.command(chars[i]!) === 'quit') return 'quit';
      if (s.input) {
        // A command opened an input: the rest is typed into it.
        const rest = chars.slice(i + 1).join('');
        if (rest) this.handle({ text: rest });
        break;
      }
    }
    return 'handled';
  }

  private command(k: string): KeyOutcome {
    const s = this.s;
    const binding = lookup(s.contexts(), k);
    if (!binding) {
      const where = s.input ? [] : viewsBinding(k);
      if (where.length) s.flash(where.length === 1 && where[0] === 'list' ? `${k} works in the event list (Esc goes back to it)` : `${k} works in: ${where.join(', ')}`);
      return 'handled';
    }
    this.quitting = false;
    const before = s.input && `${s.input.kind} ${s.input.text}`;
    binding.action(this.commands, k);
    // An edit is checked again; applying keeps the problem it found on screen.
    if (s.input && before !== `${s.input.kind} ${s.input.text}`) check(s);
    return this.quitting ? 'quit' : 'handled';
  }
}
