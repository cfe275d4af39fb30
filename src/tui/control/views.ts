/**
 * The views that stack on the event list: an object's timeline (from the selection, its owner,
 * or an object of the detail pane), the incident list and one incident; and `o`, back to the
 * event list on the selected event.
 */
import { describeObject } from '../../correlate/resolve-ref.js';
import type { StoredEvent } from '../../store/reader.js';
import { IndexWindow } from '../model/index-window.js';
import { positionOf } from '../model/event-window.js';
import { primaryObject } from '../model/objects.js';
import { stepAtOrAfter, stepOtherObjects } from '../model/timeline.js';
import { toggleDetail } from './navigate.js';
import type { TuiState } from './state.js';

function openTimeline(s: TuiState, objectId: number, fromEvent?: StoredEvent): void {
  const obj = s.model.object(objectId);
  if (!obj) {
    s.flash(`object ${objectId} is not in the store`, 'error');
    return;
  }
  const data = s.model.timeline(obj);
  const win = new IndexWindow(data.steps.length, s.bodyHeight);
  s.stack.push({ kind: 'timeline', data, win, events: new Map() });
  s.relayout();
  if (fromEvent) {
    const exact = data.steps.findIndex((step) => step.eventId === fromEvent.id);
    win.select(exact >= 0 ? exact : stepAtOrAfter(data.steps, fromEvent.time));
  }
  s.loadVisible();
  s.loadDetail();
  if (data.steps.length === 0) s.flash(`no events about ${describeObject(obj)}`);
}

/** `t`: the timeline of the selected event's object (in a timeline: another object's). */
export function timelineFromSelection(s: TuiState): void {
  const v = s.top();
  if (v?.kind === 'incidents') {
    const row = v.rows[v.win.cursor];
    if (row?.rootObjectId != null) openTimeline(s, row.rootObjectId);
    else s.flash('this incident names no stored object', 'error');
    return;
  }
  const e = s.selectedEvent();
  if (!e) {
    s.flash('no event selected');
    return;
  }
  if (v?.kind === 'timeline') {
    const step = v.data.steps[v.win.cursor]!;
    const other = stepOtherObjects(v.data, step)[0] ?? primaryObject(s.model.detail(e).linked, v.data.root.id)?.id;
    if (other === undefined) s.flash(`this step is only about ${describeObject(v.data.root)}`);
    else openTimeline(s, other, e);
    return;
  }
  const primary = primaryObject(s.model.detail(e).linked);
  if (primary) openTimeline(s, primary.id, e);
  else if (v?.kind === 'incident' && v.data.row.rootObjectId != null) openTimeline(s, v.data.row.rootObjectId, e);
  else s.flash('no object is linked to this event');
}

/** `u` in a timeline: the timeline of the object's nearest owner. */
export function ownerTimeline(s: TuiState): void {
  const v = s.top();
  if (v?.kind !== 'timeline') {
    s.flash('u works in a timeline: it opens the owner\'s');
    return;
  }
  const owner = v.data.owners[0];
  if (owner) openTimeline(s, owner.id, s.selectedEvent());
  else s.flash(`no owner of ${describeObject(v.data.root)} was seen`);
}

/** A digit: the timeline of that object of the detail pane. */
export function timelineOfDetailObject(s: TuiState, index: number): void {
  if (!s.detailOpen || !s.detailCache) {
    s.flash('digits pick an object of the detail pane (Enter opens it)');
    return;
  }
  const o = s.detailCache.linked[index];
  if (!o) {
    s.flash(`the event has ${s.detailCache.linked.length} linked objects`);
    return;
  }
  openTimeline(s, o.id, s.detailCache.event);
}

export function openIncidents(s: TuiState): void {
  const rows = s.model.incidents.list();
  s.incidentRows = rows;
  const existing = s.stack.findIndex((v) => v.kind === 'incidents');
  if (existing >= 0) s.stack.splice(existing);
  s.stack.push({ kind: 'incidents', rows, win: new IndexWindow(rows.length, s.bodyHeight) });
  s.relayout();
  if (rows.length === 0) s.flash('no incidents in this store');
}

function openIncident(s: TuiState, id: number): void {
  const data = s.model.incidents.load(id);
  if (!data) {
    s.flash(`incident ${id} is gone`, 'error');
    return;
  }
  s.stack.push({ kind: 'incident', data, win: new IndexWindow(data.evidence.length, s.bodyHeight), events: new Map() });
  s.relayout();
}

/** Enter: opens the selected incident in the incident list; elsewhere opens or closes the detail pane. */
export function enter(s: TuiState): void {
  const v = s.top();
  if (v?.kind === 'incidents') {
    const row = v.rows[v.win.cursor];
    if (row) openIncident(s, row.id);
    return;
  }
  toggleDetail(s);
}

/** `o`: back to the event list, on the selected event. */
export function showInList(s: TuiState): void {
  const e = s.selectedEvent();
  if (!e || !s.top()) return;
  s.stack.length = 0;
  s.relayout();
  s.win.goTo(positionOf(e));
  if (s.win.selected()?.id !== e.id) s.flash('the filter hides that event: showing the nearest one after it');
  s.loadDetail();
}
