/**
 * Moving around: the selection in the active view, the detail pane's scroll and focus, Esc,
 * marks, and finding the next error, warning or search match in the event list.
 */
import type { Expr } from '../../query/ast.js';
import type { SqlFilter } from '../../query/compile-sql.js';
import { END, START, type Position, type StoredEvent } from '../../store/reader.js';
import { filterAnd } from '../model/filter.js';
import { positionOf } from '../model/event-window.js';
import type { TuiState } from './state.js';

export function move(s: TuiState, by: number | 'page' | '-page'): void {
  const n = by === 'page' ? s.bodyHeight : by === '-page' ? -s.bodyHeight : by;
  const v = s.top();
  if (v) {
    v.win.moveBy(n);
    s.loadVisible();
  } else {
    s.win.moveBy(n);
  }
  s.loadDetail();
}

export function jumpEnd(s: TuiState, last: boolean): void {
  const v = s.top();
  if (v) {
    if (last) v.win.end();
    else v.win.home();
    s.loadVisible();
  } else if (last) s.win.end();
  else s.win.home();
  s.loadDetail();
}

export function scrollDetail(s: TuiState, by: number | 'page' | '-page' | 'top' | 'bottom'): void {
  const page = Math.max(1, s.detailHeight - 2);
  if (by === 'top') s.detailScroll = 0;
  else if (by === 'bottom') s.detailScroll = Number.MAX_SAFE_INTEGER;
  else s.detailScroll += by === 'page' ? page : by === '-page' ? -page : by;
  s.clampDetailScroll();
}

export function toggleDetailFocus(s: TuiState): void {
  if (s.detailOpen && s.detailCache) s.detailFocus = !s.detailFocus;
  else s.flash('Enter opens the detail pane first');
}

/** Enter outside the incident list: opens or closes the detail pane. */
export function toggleDetail(s: TuiState): void {
  s.detailOpen = !s.detailOpen;
  s.detailFocus = false;
  s.detailCache = undefined;
  s.relayout();
}

/** Esc: leaves the detail pane's focus, else closes it, else pops a view. */
export function back(s: TuiState): void {
  if (s.detailFocus) {
    s.detailFocus = false;
    return;
  }
  if (s.detailOpen) {
    s.detailOpen = false;
    s.detailCache = undefined;
    s.relayout();
    return;
  }
  if (s.stack.length) {
    s.stack.pop();
    s.relayout();
  }
}

/** Runs `work` in the event list; elsewhere says where the key `what` works. */
export function inList(s: TuiState, work: () => void, what: string): void {
  if (s.top()) s.flash(`${what} works in the event list (Esc goes back to it)`);
  else work();
}

// -------------------------------------------------------------------------------------------
// Marks

export function toggleMark(s: TuiState): void {
  const e = s.selectedEvent();
  if (!e) return;
  if (s.marks.has(e.id)) s.marks.delete(e.id);
  else s.marks.set(e.id, positionOf(e));
}

export function nextMark(s: TuiState): void {
  if (s.marks.size === 0) {
    s.flash('no marks: m marks the selected event');
    return;
  }
  if (s.top()) s.stack.length = 0;
  const sorted = [...s.marks.values()].sort((a, b) => a.time - b.time || a.id - b.id);
  const sel = s.win.selected();
  const next = (sel && sorted.find((p) => p.time > sel.time || (p.time === sel.time && p.id > sel.id))) ?? sorted[0]!;
  s.relayout();
  s.goTo(next);
  if (s.win.selected()?.id !== next.id) s.flash('the filter hides that mark: showing the nearest event after it');
}

// -------------------------------------------------------------------------------------------
// Finding things

/** The next (dir 1) or previous (-1) event after the selection that satisfies `sql`. */
function findFrom(s: TuiState, sql: SqlFilter, dir: 1 | -1, from: Position): StoredEvent | undefined {
  const page = dir > 0 ? s.model.reader.page({ after: from, limit: 1, filter: sql }) : s.model.reader.page({ before: from, limit: 1, filter: sql });
  return page[0];
}

function selectionPosition(s: TuiState, dir: 1 | -1): Position {
  const sel = s.win.selected();
  return sel ? positionOf(sel) : dir > 0 ? START : END;
}

/** The next event (within the filter) that also satisfies `extra`: an error, a warning. */
export function nextWith(s: TuiState, extra: Expr, dir: 1 | -1, what: string): void {
  const found = findFrom(s, filterAnd(s.filter, extra, s.queryNow()), dir, selectionPosition(s, dir));
  if (found) s.goTo(positionOf(found));
  else s.flash(`no ${dir > 0 ? 'later' : 'earlier'} ${what}`);
}

export function searchNext(s: TuiState, dir: 1 | -1): void {
  if (!s.search) {
    s.flash('no search yet: s starts one');
    return;
  }
  const sql = filterAnd(s.filter, s.search.expr, s.queryNow());
  let found = findFrom(s, sql, dir, selectionPosition(s, dir));
  if (!found) {
    found = findFrom(s, sql, dir, dir > 0 ? START : END);
    if (found) s.flash(`search wrapped to the ${dir > 0 ? 'start' : 'end'}`);
  }
  if (found) s.goTo(positionOf(found));
  else s.flash(`no match for ${s.search.text}`);
}
