/**
 * One screen's worth of plain data: what the controller hands to the components. Everything a
 * component draws is in here (already read from the store), with the heights the controller
 * laid out, so components are pure functions of it.
 */
import type { HistogramBucket, StoredEvent } from '../store/reader.js';
import type { TimelineStep } from '../correlate/timeline.js';
import type { IncidentData, IncidentRow, EvidenceEntry } from './model/incidents.js';
import type { EventDetail } from './model/objects.js';
import type { TimelineData } from './model/timeline.js';
import type { IncidentColumns, RowLayout } from './format.js';

export type InputKind = 'filter' | 'search' | 'jump';

export interface InputView {
  kind: InputKind;
  text: string;
  /** Caret position in `text` (UTF-16 units). */
  caret: number;
  /** A live problem with the text: where (1-based column) and what. */
  problem?: { message: string; column?: number };
}

export interface HeaderView {
  title: string;
  /** Events matching the filter; undefined while counting. */
  total?: number;
  filter?: string;
  search?: string;
  follow: boolean;
  marks: number;
  /** Incidents in the store, and the errors and warnings the (filtered) events hold (undefined while counting). */
  incidents: number;
  errors?: number;
  warnings?: number;
}

export interface HistogramView {
  /** undefined until computed (it reads more than a screenful: drawn after the first screen). */
  buckets?: HistogramBucket[];
  /** Bucket of the selected event. */
  cursorBucket?: number;
  /** When incidents were going on: their columns are marked. */
  spans?: readonly { start: number; end: number }[];
}

export interface ListBody {
  view: 'list';
  rows: StoredEvent[];
  cursor: number;
  marks: ReadonlySet<number>;
  layout: RowLayout;
  /** Shown when there are no rows. */
  empty: string;
}

export interface TimelineBody {
  view: 'timeline';
  data: TimelineData;
  /** The visible steps with their events (undefined when no longer stored). */
  visible: { step: TimelineStep; event: StoredEvent | undefined }[];
  /** Index of the selected step within `visible`. */
  cursor: number;
  marks: ReadonlySet<number>;
  layout: RowLayout;
}

export interface IncidentsBody {
  view: 'incidents';
  visible: IncidentRow[];
  cursor: number;
  total: number;
  columns: IncidentColumns;
}

export interface IncidentBody {
  view: 'incident';
  data: IncidentData;
  visible: { entry: EvidenceEntry; event: StoredEvent | undefined }[];
  cursor: number;
  marks: ReadonlySet<number>;
  layout: RowLayout;
}

export interface HelpBody {
  view: 'help';
}

export type Body = ListBody | TimelineBody | IncidentsBody | IncidentBody | HelpBody;

export interface DetailView {
  detail: EventDetail;
  scroll: number;
  /** Lines of the pane, its title line included. */
  height: number;
  focused: boolean;
}

export interface StatusView {
  /** Key hints for the current view, most useful first: the bar shows as many as fit. */
  hints: string[];
  /** Where the selection is (time, share of the span). */
  position: string;
  message?: { text: string; tone: 'info' | 'error' };
}

export interface Frame {
  width: number;
  height: number;
  color: boolean;
  header: HeaderView;
  histogram?: HistogramView;
  body: Body;
  bodyHeight: number;
  detail?: DetailView;
  input?: InputView;
  status: StatusView;
}
