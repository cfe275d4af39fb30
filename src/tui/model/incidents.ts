/**
 * Incidents as detection wrote them (tables incidents, incident_evidence, incident_objects; the
 * details JSON of src/correlate/incidents/write.ts), read for the incident list and an
 * incident's page. details is parsed leniently: an incident with odd details is still listed.
 */
import type Database from 'better-sqlite3';
import { describeObject } from '../../correlate/resolve-ref.js';
import { SEVERITIES, type Severity } from '../../model/event.js';

export interface IncidentRow {
  id: number;
  kind: string;
  severity: Severity;
  start: number;
  end: number;
  rootObjectId: number | null;
  /** kind/namespace/name of the root (from the objects table, else from details). */
  root: string;
  summary: string;
}

export interface CauseStepView {
  kind: string;
  object: string;
  time: number;
  summary: string;
  incidentId?: number;
}

export interface EvidenceEntry {
  eventId: number;
  role: string;
  time: number;
}

export interface IncidentData {
  row: IncidentRow;
  components: string[];
  causeChain: CauseStepView[];
  counts: Record<string, number>;
  /** Evidence events in time order. */
  evidence: EvidenceEntry[];
}

interface IncidentDbRow {
  id: number;
  kind: string;
  severity: number;
  start_time: number;
  end_time: number;
  root_object_id: number | null;
  summary: string;
  details: string | null;
  o_kind: string | null;
  o_namespace: string | null;
  o_name: string | null;
}

function parseDetails(text: string | null): Record<string, unknown> {
  if (!text || text[0] !== '{') return {};
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));

function rootLabel(r: IncidentDbRow, details: Record<string, unknown>): string {
  if (r.o_kind) return describeObject({ kind: r.o_kind, namespace: r.o_namespace, name: r.o_name, uid: null });
  const root = details.root as Record<string, unknown> | undefined;
  return root ? str(root.label) || '?' : '?';
}

function toRow(r: IncidentDbRow, details: Record<string, unknown>): IncidentRow {
  return {
    id: r.id,
    kind: r.kind,
    severity: SEVERITIES[r.severity] ?? 'error',
    start: r.start_time,
    end: r.end_time,
    rootObjectId: r.root_object_id,
    root: rootLabel(r, details),
    summary: r.summary,
  };
}

const SELECT = `SELECT i.id, i.kind, i.severity, i.start_time, i.end_time, i.root_object_id, i.summary, i.details,
  o.kind AS o_kind, o.namespace AS o_namespace, o.name AS o_name
  FROM incidents i LEFT JOIN objects o ON o.id = i.root_object_id`;

export class IncidentStore {
  constructor(private readonly db: Database.Database) {}

  /** Every incident, in start order. */
  list(): IncidentRow[] {
    const rows = this.db.prepare(`${SELECT} ORDER BY i.start_time, i.id`).all() as IncidentDbRow[];
    // The list needs only the root label from details when no object matched; parse lazily.
    return rows.map((r) => toRow(r, r.o_kind ? {} : parseDetails(r.details)));
  }

  load(id: number): IncidentData | undefined {
    const r = this.db.prepare(`${SELECT} WHERE i.id = ?`).get(id) as IncidentDbRow | undefined;
    if (!r) return undefined;
    const details = parseDetails(r.details);
    const chain = Array.isArray(details.causeChain) ? (details.causeChain as unknown[]) : [];
    const causeChain: CauseStepView[] = chain
      .filter((s): s is Record<string, unknown> => !!s && typeof s === 'object')
      .map((s) => {
        const step: CauseStepView = { kind: str(s.kind), object: str(s.object), time: Number(s.time) || 0, summary: str(s.summary) };
        if (typeof s.incidentId === 'number') step.incidentId = s.incidentId;
        return step;
      });
    const counts: Record<string, number> = {};
    if (details.counts && typeof details.counts === 'object') {
      for (const [k, v] of Object.entries(details.counts as Record<string, unknown>)) if (typeof v === 'number') counts[k] = v;
    }
    const evidence = this.db
      .prepare(
        `SELECT ie.event_id AS eventId, ie.role, e.time FROM incident_evidence ie JOIN events e ON e.id = ie.event_id
         WHERE ie.incident_id = ? ORDER BY e.time, e.id`,
      )
      .all(id) as EvidenceEntry[];
    return {
      row: toRow(r, details),
      components: Array.isArray(details.components) ? details.components.map(str) : [],
      causeChain,
      counts,
      evidence,
    };
  }
}
