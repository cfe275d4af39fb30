/**
 * An event row as the incident rules read it (src/store/incident-view.ts), and as the signals
 * table joins it (src/store/signals.ts): one column list, one row type, for both.
 */
import { parseFields } from './json-object.js';

/** The columns of `events e` that make an EventRow. */
export const EVENT_COLUMNS =
  'e.id, e.time, e.component, e.host, e.severity, e.message, e.fields, e.source_id AS sourceId, e.line, e.end_line AS endLine';

/** A row of EVENT_COLUMNS as SQLite gives it, before its fields are parsed. */
export interface RawEventRow {
  id: number;
  time: number;
  component: string;
  host: string | null;
  /** 0..4, the rank in SEVERITIES. */
  severity: number;
  message: string;
  fields: string | null;
  sourceId: number;
  line: number;
  endLine: number;
}

export interface EventRow extends Omit<RawEventRow, 'fields'> {
  fields: Record<string, unknown>;
}

export function toEventRow(r: RawEventRow): EventRow {
  return { ...r, fields: parseFields(r.fields) };
}
