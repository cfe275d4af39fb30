/**
 * The ClickHouse backend's incident reads (IncidentQueries in store.ts), the sibling of
 * src/store/incidents.ts: incidents as the ingest's detection wrote them, with their root object,
 * details read by the same lenient reader, and evidence in the one EVIDENCE_ROLES order.
 */
import { SEVERITIES } from '../../model/event.js';
import { readDetails } from '../incidents.js';
import { parseJsonObject } from '../json-object.js';
import { evidenceRoleRank, type EvidenceRow, type IncidentQueries, type IncidentRecord, type StoredObject } from '../store.js';
import type { ChContext } from './context.js';
import { lit, litList } from './escape.js';

interface Row {
  id: number;
  kind: string;
  severity: number;
  start_time: number;
  end_time: number;
  root_object_id: number | null;
  summary: string;
  details: string | null;
}

export class ChIncidents implements IncidentQueries {
  constructor(private readonly ctx: ChContext) {}

  private read(test: string): IncidentRecord[] {
    const rows = this.ctx.rows<Row>(
      `SELECT id, kind, severity, start_time, end_time, root_object_id, summary, details FROM incidents
       WHERE ${this.ctx.scope()} AND ${test} ORDER BY start_time, id`,
    );
    const rootIds = [...new Set(rows.flatMap((r) => (r.root_object_id === null ? [] : [r.root_object_id])))];
    const roots = new Map(
      (rootIds.length === 0
        ? []
        : this.ctx.rows<StoredObject>(
            `SELECT id, uid, kind, namespace, name, first_seen, last_seen, deleted FROM objects WHERE ${this.ctx.scope()} AND id IN ${litList(rootIds)}`,
          )
      ).map((o) => [o.id, o]),
    );
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      severity: SEVERITIES[r.severity] ?? 'error',
      start: r.start_time,
      end: r.end_time,
      summary: r.summary,
      rootObjectId: r.root_object_id,
      root: r.root_object_id === null ? null : (roots.get(r.root_object_id) ?? null),
      details: readDetails(r.details),
    }));
  }

  list(): IncidentRecord[] {
    return this.read('1');
  }

  get(id: number): IncidentRecord | undefined {
    return this.read(`id = ${lit(id)}`)[0];
  }

  evidence(incidentId: number, limit = 1_000_000): EvidenceRow[] {
    const roles = this.ctx.rows<{ event_id: number; role: string }>(
      `SELECT event_id, role FROM incident_evidence WHERE ${this.ctx.scope()} AND incident_id = ${lit(incidentId)}`,
    );
    if (roles.length === 0) return [];
    const events = new Map(
      this.ctx
        .rows<{ id: number; time: number; component: string; fields: string | null; source_id: number; line: number; end_line: number; message: string }>(
          `SELECT id, time, component, fields, source_id, line, end_line, message FROM events
           WHERE ${this.ctx.scope()} AND id IN ${litList([...new Set(roles.map((r) => r.event_id))])}`,
        )
        .map((e) => [e.id, e]),
    );
    const files = new Map(
      this.ctx.rows<{ id: number; display: string }>(`SELECT id, display FROM sources WHERE ${this.ctx.sourcesScope()}`).map((s) => [s.id, s.display]),
    );
    const out: EvidenceRow[] = [];
    for (const r of roles) {
      const e = events.get(r.event_id);
      if (!e) continue; // as SQLite's inner join: evidence whose event is gone is not shown
      const writer = parseJsonObject(e.fields)?.['writer'];
      out.push({
        incidentId,
        eventId: e.id,
        role: r.role,
        time: e.time,
        component: e.component,
        writer: typeof writer === 'string' ? writer : null,
        file: files.get(e.source_id) ?? '?',
        line: e.line,
        endLine: e.end_line,
        message: e.message,
      });
    }
    out.sort((a, b) => evidenceRoleRank(a.role) - evidenceRoleRank(b.role) || a.time - b.time || a.eventId - b.eventId);
    return out.slice(0, limit);
  }

  evidenceOfAll(incidentIds: readonly number[], limit: number): Map<number, string> {
    const rows = this.ctx.rows<{ event_id: number; role: string }>(
      `SELECT event_id, role FROM incident_evidence WHERE ${this.ctx.scope()} AND incident_id IN ${litList(incidentIds)} LIMIT ${lit(Math.floor(limit))}`,
    );
    const roles = new Map<number, string>();
    for (const r of rows) {
      const prev = roles.get(r.event_id);
      if (prev === undefined || evidenceRoleRank(r.role) < evidenceRoleRank(prev)) roles.set(r.event_id, r.role);
    }
    return roles;
  }
}
