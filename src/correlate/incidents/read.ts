/**
 * Reading incidents back, for the CLI, the TUI and CI reports: each incident with its root and
 * details, and its evidence located in the files (the event's source display and line), strongest
 * role first.
 */
import type Database from 'better-sqlite3';
import { SEVERITIES, type Severity } from '../../model/event.js';
import type { EvidenceRole, IncidentKind } from './types.js';
import type { IncidentDetails } from './write.js';

export interface StoredIncidentView {
  id: number;
  kind: IncidentKind;
  severity: Severity;
  start: number;
  end: number;
  summary: string;
  rootObjectId: number | null;
  details: IncidentDetails;
}

export interface EvidenceLocation {
  eventId: number;
  role: EvidenceRole;
  time: number;
  component: string;
  file: string;
  line: number;
  endLine: number;
  message: string;
}

const ROLE_ORDER = `CASE ie.role WHEN 'trigger' THEN 0 WHEN 'cause' THEN 1 WHEN 'effect' THEN 2 ELSE 3 END`;

export function listIncidents(db: Database.Database): StoredIncidentView[] {
  const rows = db
    .prepare(
      `SELECT id, kind, severity, start_time AS start, end_time AS end, summary, root_object_id AS rootObjectId, details
       FROM incidents ORDER BY start_time, id`,
    )
    .all() as (Omit<StoredIncidentView, 'severity' | 'details'> & { severity: number; details: string | null })[];
  return rows.map((r) => ({
    ...r,
    severity: SEVERITIES[r.severity] ?? 'error',
    details: (r.details ? JSON.parse(r.details) : {}) as IncidentDetails,
  }));
}

/** An incident's evidence in the files, strongest role first, then in time order. */
export function incidentEvidence(db: Database.Database, incidentId: number, limit = 1_000_000): EvidenceLocation[] {
  return db
    .prepare(
      `SELECT e.id AS eventId, ie.role, e.time, e.component, s.display AS file, e.line, e.end_line AS endLine, e.message
       FROM incident_evidence ie JOIN events e ON e.id = ie.event_id JOIN sources s ON s.id = e.source_id
       WHERE ie.incident_id = ? ORDER BY ${ROLE_ORDER}, e.time, e.id LIMIT ?`,
    )
    .all(incidentId, limit) as EvidenceLocation[];
}
