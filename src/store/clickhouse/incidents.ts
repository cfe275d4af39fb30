/**
 * The ClickHouse backend's incident reads (IncidentQueries in store.ts), the sibling of
 * src/store/incidents.ts: incidents as the ingest's detection wrote them, with their root object,
 * details read by the same lenient reader, and evidence in the one EVIDENCE_ROLES order.
 */
import { toRecord, type IncidentDbRow } from '../incidents.js';
import { parseJsonObject } from '../json-object.js';
import { evidenceRoleRank, type EvidenceRow, type IncidentQueries, type IncidentRecord, type StoredObject } from '../store.js';
import type { ChContext } from './context.js';
import { inSlices, lit, litList } from './escape.js';
import { appendAll } from '../../util/append.js';

/** The incident's own columns (the SQLite backend reads its root object in the same row). */
type Row = Pick<IncidentDbRow, 'id' | 'cluster' | 'kind' | 'severity' | 'start_time' | 'end_time' | 'root_object_id' | 'summary' | 'details'>;

/**
 * Incidents whose evidence one read fetches: a round trip per 500 was 1,250 reads for the 5M
 * store's 625k incidents. The query holds the id list twice, so 2,000 of the longest ids (16
 * digits) stay at 72 KB, well inside max_query_size.
 */
const EVIDENCE_BATCH = 2000;
/** Incidents per read of a list (see read()). */
const INCIDENT_PAGE = 10_000;

export class ChIncidents implements IncidentQueries {
  private fileNames: Map<number, string> | undefined;
  /** Incident ids of the last list(), in its order: what evidence() reads ahead along. */
  private listed: number[] = [];
  private evidenceBatch = new Map<number, EvidenceRow[]>();

  constructor(private readonly ctx: ChContext) {}

  /**
   * The incidents matching `test`, in (start_time, id) order, read a page at a time: a whole
   * store's list is too big for one answer (625k incidents at 5M events is about 1.4 GB of JSON,
   * past the longest string V8 holds), and a page's root ids are a list that fits in a query.
   */
  private read(test: string): IncidentRecord[] {
    const out: IncidentRecord[] = [];
    let after: Row | undefined;
    for (;;) {
      const next = after ? `(start_time > ${lit(after.start_time)} OR (start_time = ${lit(after.start_time)} AND id > ${lit(after.id)}))` : '1';
      const rows = this.ctx.rows<Row>(
        `SELECT id, cluster, kind, severity, start_time, end_time, root_object_id, summary, details FROM incidents
         WHERE ${this.ctx.scope()} AND ${test} AND ${next} ORDER BY start_time, id LIMIT ${lit(INCIDENT_PAGE)}`,
      );
      appendAll(out, this.withRoots(rows));
      if (rows.length < INCIDENT_PAGE) return out;
      after = rows[rows.length - 1];
    }
  }

  private withRoots(rows: readonly Row[]): IncidentRecord[] {
    const rootIds = [...new Set(rows.flatMap((r) => (r.root_object_id === null ? [] : [r.root_object_id])))];
    const roots = new Map(
      inSlices(rootIds)
        .flatMap((slice) =>
          this.ctx.rows<StoredObject>(
            `SELECT id, cluster, uid, kind, namespace, name, first_seen, last_seen, deleted FROM objects WHERE ${this.ctx.scope()} AND id IN ${litList(slice)}`,
          ),
        )
        .map((o) => [o.id, o]),
    );
    return rows.map((r) => {
      const root = r.root_object_id === null ? undefined : roots.get(r.root_object_id);
      return toRecord({
        ...r,
        o_uid: root?.uid ?? null,
        o_kind: root?.kind ?? null,
        o_namespace: root?.namespace ?? null,
        o_name: root?.name ?? null,
        o_first_seen: root?.first_seen ?? null,
        o_last_seen: root?.last_seen ?? null,
        o_deleted: root?.deleted ?? null,
      });
    });
  }

  list(): IncidentRecord[] {
    const all = this.read('1');
    this.listed = all.map((i) => i.id);
    return all;
  }

  count(): number {
    return this.ctx.value<number>(`SELECT count() FROM incidents WHERE ${this.ctx.scope()}`) ?? 0;
  }

  get(id: number): IncidentRecord | undefined {
    return this.read(`id = ${lit(id)}`)[0];
  }

  /** Source display names by id (cached: they change only with an ingest, which a reader does not do). */
  private files(): Map<number, string> {
    this.fileNames ??= new Map(
      this.ctx.rows<{ id: number; display: string }>(`SELECT id, display FROM sources WHERE ${this.ctx.sourcesScope()}`).map((s) => [s.id, s.display]),
    );
    return this.fileNames;
  }

  /**
   * An incident's evidence. `ktrail incidents` asks for it incident by incident, and a query per
   * incident costs a round trip each (thousands of incidents: minutes): so a miss reads the
   * evidence of this incident and the next EVIDENCE_BATCH - 1 of the last list() in one query, and
   * the calls that follow are answered from that batch.
   */
  evidence(incidentId: number, limit = 1_000_000): EvidenceRow[] {
    let rows = this.evidenceBatch.get(incidentId);
    if (!rows) {
      const at = this.listed.indexOf(incidentId);
      const ids = at < 0 ? [incidentId] : this.listed.slice(at, at + EVIDENCE_BATCH);
      this.evidenceBatch = this.readEvidence(ids);
      rows = this.evidenceBatch.get(incidentId) ?? [];
    }
    return rows.slice(0, limit);
  }

  private readEvidence(ids: readonly number[]): Map<number, EvidenceRow[]> {
    const list = litList(ids);
    // The joined subqueries are named (ev, e): releases after 18.16 refuse a JOIN of unnamed
    // subqueries (joined_subquery_requires_alias, on by default; seen on 26.7), 18.16 accepts both.
    const rows = this.ctx.rows<{ incident_id: number; event_id: number; role: string; time: number; component: string; fields: string | null; source_id: number; line: number; end_line: number; message: string }>(
      `SELECT incident_id, event_id, role, time, component, fields, source_id, line, end_line, message
       FROM (SELECT incident_id, event_id, role FROM incident_evidence WHERE ${this.ctx.scope()} AND incident_id IN ${list}) AS ev
       ANY INNER JOIN (SELECT id AS event_id, time, component, fields, source_id, line, end_line, message FROM events
                       WHERE ${this.ctx.scope()} AND id IN (SELECT event_id FROM incident_evidence WHERE incident_id IN ${list})) AS e
       USING event_id`,
    );
    const files = this.files();
    const out = new Map<number, EvidenceRow[]>(ids.map((id) => [id, []]));
    for (const e of rows) {
      const writer = parseJsonObject(e.fields)?.['writer'];
      out.get(e.incident_id)?.push({
        incidentId: e.incident_id,
        eventId: e.event_id,
        role: e.role,
        time: e.time,
        component: e.component,
        writer: typeof writer === 'string' ? writer : null,
        file: files.get(e.source_id) ?? '?',
        line: e.line,
        endLine: e.end_line,
        message: e.message,
      });
    }
    for (const list of out.values()) {
      list.sort((a, b) => evidenceRoleRank(a.role) - evidenceRoleRank(b.role) || a.time - b.time || a.eventId - b.eventId);
    }
    return out;
  }

  evidenceOfAll(incidentIds: readonly number[], limit: number): Map<number, string> {
    const rows: { event_id: number; role: string }[] = [];
    for (const slice of inSlices(incidentIds)) {
      const left = Math.floor(limit) - rows.length;
      if (left <= 0) break;
      appendAll(
        rows,
        this.ctx.rows<{ event_id: number; role: string }>(
          `SELECT event_id, role FROM incident_evidence WHERE ${this.ctx.scope()} AND incident_id IN ${litList(slice)} LIMIT ${lit(left)}`,
        ),
      );
    }
    const roles = new Map<number, string>();
    for (const r of rows) {
      const prev = roles.get(r.event_id);
      if (prev === undefined || evidenceRoleRank(r.role) < evidenceRoleRank(prev)) roles.set(r.event_id, r.role);
    }
    return roles;
  }
}
