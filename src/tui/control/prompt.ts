/**
 * The input line's meaning (filter, search, jump): opening it with the current text, checking a
 * query as it is typed, and applying it. Editing the text is input-line.ts's job.
 */
import type { InputKind } from '../frame.js';
import { shortTime } from '../format.js';
import { InputLine } from '../input-line.js';
import { compileQuery, isEmptyQuery } from '../model/filter.js';
import { positionOf } from '../model/event-window.js';
import { parseJump } from '../model/time-jump.js';
import { searchNext } from './navigate.js';
import type { TuiState } from './state.js';

export function openInput(s: TuiState, kind: InputKind): void {
  const text = kind === 'filter' ? (s.filter?.text ?? '') : kind === 'search' ? (s.search?.text ?? '') : '';
  s.input = new InputLine(kind, text, s.history);
  check(s);
  s.relayout();
}

export function closeInput(s: TuiState): void {
  s.input = undefined;
  s.problem = undefined;
  s.compiled = undefined;
  s.relayout();
}

/** Checks the text as typed: a query's problem shows under its column at once. */
export function check(s: TuiState): void {
  const inp = s.input;
  if (!inp) return;
  s.problem = undefined;
  s.compiled = undefined;
  if (inp.kind === 'jump') return;
  const out = compileQuery(inp.text, s.queryNow());
  if (out.ok) s.compiled = out.query;
  else s.problem = { message: out.problem.message, column: out.problem.column };
}

function remember(s: TuiState, text: string): void {
  if (!text || s.history[s.history.length - 1] === text) return;
  s.history.push(text);
  if (s.history.length > 100) s.history.shift();
}

export function applyInput(s: TuiState): void {
  const inp = s.input!;
  if (inp.kind === 'jump') {
    const out = parseJump(inp.text, { cursor: s.win.selected()?.time, start: s.dataBounds?.first.time });
    if (!out.ok) {
      s.problem = { message: out.error };
      return;
    }
    closeInput(s);
    s.goTo({ time: out.time, id: 0 });
    const sel = s.win.selected();
    s.flash(sel ? `jumped to ${shortTime(out.time, s.showDate())}` : 'nothing at that time');
    return;
  }
  if (!s.compiled) return; // the problem is on screen already
  const q = s.compiled;
  remember(s, q.text);
  if (inp.kind === 'filter') {
    s.filter = isEmptyQuery(q) ? undefined : q;
    const sel = s.win.selected();
    closeInput(s);
    s.win.setFilter(s.activeFilter(), sel ? positionOf(sel) : undefined);
    s.loadDetail();
    s.flash(s.filter ? `filter: ${q.text}` : 'filter cleared');
    return;
  }
  s.search = isEmptyQuery(q) ? undefined : q;
  closeInput(s);
  if (s.search) searchNext(s, 1);
  else s.flash('search cleared');
}
