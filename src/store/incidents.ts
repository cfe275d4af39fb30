/**
 * The SQLite backend's incident reads (IncidentQueries in store.ts): incidents as detection
 * wrote them (tables incidents, incident_evidence), with their root object and their details
 * JSON read leniently (an incident with odd details is still listed), and their evidence in the
 * one EVIDENCE_ROLES order. Detection's own queries live with detection.
 */
import type Database from 'better-sqlite3';
import { SEVERITIES } from '../model/event.js';
import { ClusterScope } from './cluster-scope.js';
import { StatementCache } from './statements.js';
import { parseJsonObject } from './json-object.js';
import {
  EVIDENCE_ROLES,
  evidenceRoleRank,
  type CauseStep,
  type EvidenceRow,
  type IncidentDetailsRead,
  type IncidentQueries,
  type IncidentRecord,
  type StoredObject,
} from './store.js';

export interface IncidentDbRow {
  id: number;
  cluster: string;
  kind: string;
  severity: number;
  start_time: number;
  end_time: number;
  root_object_id: number | null;
  summary: string;
  details: string | null;
  o_uid: string | null;
  o_kind: string | null;
  o_namespace: string | null;
  o_name: string | null;
  o_first_seen: number | null;
  o_last_seen: number | null;
  o_deleted: number | null;
}

const SELECT = `SELECT i.id, i.cluster, i.kind, i.severity, i.start_time, i.end_time, i.root_object_id, i.summary, i.details,
  o.uid AS o_uid, o.kind AS o_kind, o.namespace AS o_namespace, o.name AS o_name,
  o.first_seen AS o_first_seen, o.last_seen AS o_last_seen, o.deleted AS o_deleted
  FROM incidents i LEFT JOIN objects o ON o.id = i.root_object_id`;

/** SQL for the rank of ie.role in EVIDENCE_ROLES (unknown roles last). */
const ROLE_RANK = `CASE ie.role ${EVIDENCE_ROLES.map((r, i) => `WHEN '${r}' THEN ${i}`).join(' ')} ELSE ${EVIDENCE_ROLES.length} END`;

const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));


/** The details JSON of incident-writer.ts, every member checked. */
export function readDetails(text: string | null): IncidentDetailsRead {
  const raw = parseJsonObject(text);
  const d = raw ?? {};
  const chain = Array.isArray(d.causeChain) ? (d.causeChain as unknown[]) : [];
  const causeChain: CauseStep[] = chain
    .filter((s): s is Record<string, unknown> => !!s && typeof s === 'object')
    .map((s) => {
      const step: CauseStep = { kind: str(s.kind), object: str(s.object), time: Number(s.time) || 0, summary: str(s.summary) };
      if (typeof s.incidentId === 'number') step.incidentId = s.incidentId;
      return step;
    });
  const counts: Record<string, number> = {};
  if (d.counts && typeof d.counts === 'object') {
    for (const [k, v] of Object.entries(d.counts as Record<string, unknown>)) if (typeof v === 'number') counts[k] = v;
  }
  const out: IncidentDetailsRead = {
    components: Array.isArray(d.components) ? d.components.map(str) : [],
    counts,
    causeChain,
    raw,
  };
  const root = d.root as Record<string, unknown> | undefined;
  if (root && typeof root === 'object' && typeof root.kind === 'string') {
    const orNull = (v: unknown): string | null => (typeof v === 'string' ? v : null);
    out.root = { kind: root.kind, namespace: orNull(root.namespace), name: orNull(root.name), uid: orNull(root.uid), label: str(root.label) };
  }
  return out;
}

/** An incident record from its row (with its root object's columns as o_*: the ClickHouse backend fills them from its own read). */
export function toRecord(r: IncidentDbRow): IncidentRecord {
  const root: StoredObject | null =
    r.root_object_id !== null && r.o_kind !== null
      ? {
          id: r.root_object_id,
          cluster: r.cluster,
          uid: r.o_uid,
          kind: r.o_kind,
          namespace: r.o_namespace,
          name: r.o_name,
          first_seen: r.o_first_seen,
          last_seen: r.o_last_seen,
          deleted: r.o_deleted,
        }
      : null;
  return {
    id: r.id,
    cluster: r.cluster,
    kind: r.kind,
    severity: SEVERITIES[r.severity] ?? 'error',
    start: r.start_time,
    end: r.end_time,
    summary: r.summary,
    rootObjectId: r.root_object_id,
    root,
    details: readDetails(r.details),
  };
}

export class SqliteIncidents implements IncidentQueries {
  private readonly cache: StatementCache;

  /** `scope`: the cluster the incidents are listed of (cluster-scope.ts); evidence follows its incident. */
  constructor(
    db: Database.Database,
    private readonly scope: ClusterScope = ClusterScope.ALL,
  ) {
    this.cache = new StatementCache(db);
  }

  list(): IncidentRecord[] {
    const sql = `${SELECT} WHERE ${this.scope.on('i')} ORDER BY i.start_time, i.id`;
    return (this.cache.get(sql).all(this.scope.params) as IncidentDbRow[]).map(toRecord);
  }

  count(): number {
    return this.cache.get(`SELECT count(*) FROM incidents i WHERE ${this.scope.on('i')}`).pluck().get(this.scope.params) as number;
  }

  get(id: number): IncidentRecord | undefined {
    const r = this.cache.get(`${SELECT} WHERE i.id = ? AND ${this.scope.on('i')}`).get(id, this.scope.params) as IncidentDbRow | undefined;
    return r && toRecord(r);
  }

  evidence(incidentId: number, limit = 1_000_000): EvidenceRow[] {
    return this.cache
      .get(
        `SELECT ie.incident_id AS incidentId, e.id AS eventId, ie.role, e.time, e.component,
                json_extract(e.fields, '$.writer') AS writer, s.display AS file, e.line,
                e.end_line AS endLine, e.message
         FROM incident_evidence ie JOIN events e ON e.id = ie.event_id JOIN sources s ON s.id = e.source_id
         WHERE ie.incident_id = ? ORDER BY ${ROLE_RANK}, e.time, e.id LIMIT ?`,
      )
      .all(incidentId, limit) as EvidenceRow[];
  }

  evidenceOfAll(incidentIds: readonly number[], limit: number): Map<number, string> {
    const rows = this.cache
      .get(`SELECT event_id, role FROM incident_evidence WHERE incident_id IN (SELECT value FROM json_each(?)) LIMIT ?`)
      .all(JSON.stringify(incidentIds), limit) as { event_id: number; role: string }[];
    const roles = new Map<number, string>();
    for (const r of rows) {
      const prev = roles.get(r.event_id);
      if (prev === undefined || evidenceRoleRank(r.role) < evidenceRoleRank(prev)) roles.set(r.event_id, r.role);
    }
    return roles;
  }
}
