/**
 * Writing incidents: everything earlier detection wrote is replaced in one transaction (readers
 * never see half of a run), each incident with its evidence (event ids and roles), its objects
 * (root and affected) and its details JSON, under the cluster it was detected in.
 */
import type Database from 'better-sqlite3';
import { severityRank } from '../model/event.js';
import { describeRef } from './incident-view.js';
import { INCIDENT_KINDS, type Candidate, type CauseStep, type EvidenceRole } from '../correlate/incidents/types.js';
import { evidenceRoleRank } from './evidence-roles.js';
import { releaseGarbage } from '../util/release-garbage.js';

/** What details holds; readers (CLI, TUI, eval) parse it with this shape. */
export interface IncidentDetails {
  root: { kind: string; namespace: string | null; name: string | null; uid: string | null; label: string };
  /** Components whose events are evidence, sorted. */
  components: string[];
  causeChain: CauseStep[];
  /** Evidence rows per role, the rule's own figures, and evidenceTotal (rows before the cap). */
  counts: Record<string, number>;
  /** The first triggers, located in their files. */
  samples: { eventId: number; file: string; line: number; component: string; role: EvidenceRole }[];
  absorbed: Candidate['absorbed'];
  notes: Record<string, unknown>;
}

const SAMPLES = 10;

const INCIDENT_KIND_SET: ReadonlySet<string> = new Set(INCIDENT_KINDS);

/** The incidents detected in one cluster. */
export interface ClusterIncidents {
  cluster: string;
  /** In the order they are written (their ids follow it); read once. */
  candidates: Iterable<Candidate>;
  /**
   * The kinds the candidates' cause-chain steps name, when the caller has them (a spill, which
   * streams its candidates once); absent, they are gathered from `candidates` first, which must
   * then be an array. More kinds than the steps name change nothing: only a step's kind is looked up.
   */
  stepKinds?: ReadonlySet<string>;
}

function causeStepKinds(candidates: Iterable<Candidate>): Set<string> {
  // A stream would be spent here, before the write reads it.
  if (!Array.isArray(candidates)) throw new Error('writeIncidents: stepKinds must be given with candidates read once');
  const kinds = new Set<string>();
  for (const c of candidates) for (const step of c.causeChain) kinds.add(step.kind);
  return kinds;
}

export function writeIncidents(db: Database.Database, clusters: readonly ClusterIncidents[], maxEvidence: number): { evidenceRows: number } {
  const eventInfo = db.prepare(
    'SELECT e.component, e.line, s.display AS file FROM events e JOIN sources s ON s.id = e.source_id WHERE e.id = ?',
  );
  const insertIncident = db.prepare(
    `INSERT INTO incidents (cluster, kind, severity, start_time, end_time, root_object_id, summary, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertEvidence = db.prepare('INSERT OR IGNORE INTO incident_evidence (incident_id, event_id, role) VALUES (?, ?, ?)');
  const insertObject = db.prepare('INSERT OR IGNORE INTO incident_objects (incident_id, object_id, role) VALUES (?, ?, ?)');
  const updateDetails = db.prepare('UPDATE incidents SET details = ? WHERE id = ?');
  let evidenceRows = 0;

  db.transaction(() => {
    db.exec('DELETE FROM incident_objects; DELETE FROM incident_evidence; DELETE FROM incidents;');
    for (const { cluster, candidates, stepKinds: given } of clusters) {
      // The kinds cause-chain steps name: only an incident of such a kind can be a step's
      // incident, and only a step of an incident kind can point at one. What the fix-up below
      // needs is kept for those alone, not every incident's details (which, held for the whole
      // write, were the write's largest holder: 625k crash loops on a 5M-event store).
      const stepKinds = given ?? causeStepKinds(candidates);
      const byKindAndUid = new Map<string, number>();
      const toFix: { id: number; details: IncidentDetails }[] = [];
      let written = 0;
      for (const c of candidates) {
        // Each incident's rows and details are garbage once inserted: with no collection here, V8
        // let them pile up to its own limit (the 5M-event ingest's write went from 364 MB of RSS
        // to a peak of 1,265 MB).
        if ((++written & 0xfff) === 0) releaseGarbage();
        // Strongest roles first, then time order (ids follow arrival), so a cap drops story, not faults.
        const rows = [...c.evidence].sort((a, b) => evidenceRoleRank(a[1]) - evidenceRoleRank(b[1]) || a[0] - b[0]);
        const kept = rows.slice(0, maxEvidence);
        const components = new Set<string>();
        const counts: Record<string, number> = { trigger: 0, cause: 0, effect: 0, evidence: 0 };
        const samples: IncidentDetails['samples'] = [];
        for (const [eventId, role] of rows) {
          counts[role] = (counts[role] ?? 0) + 1;
          const info = eventInfo.get(eventId) as { component: string; line: number; file: string } | undefined;
          if (!info) continue;
          components.add(info.component);
          if (samples.length < SAMPLES && role === 'trigger') samples.push({ eventId, file: info.file, line: info.line, component: info.component, role });
        }
        const details: IncidentDetails = {
          root: {
            kind: c.rootRef.kind,
            namespace: c.rootRef.namespace ?? null,
            name: c.rootRef.name ?? null,
            uid: c.rootRef.uid ?? null,
            label: describeRef(c.root ?? c.rootRef),
          },
          components: [...components].sort(),
          causeChain: [...c.causeChain].sort((a, b) => a.time - b.time),
          counts: { ...counts, ...c.counts, evidenceTotal: rows.length },
          samples,
          absorbed: c.absorbed,
          notes: c.notes,
        };
        const start = c.start <= c.end ? c.start : c.end;
        const info = insertIncident.run(cluster, c.kind, severityRank(c.severity), start, c.end, c.root?.id ?? null, c.summary, JSON.stringify(details));
        const id = Number(info.lastInsertRowid);
        for (const [eventId, role] of kept) evidenceRows += insertEvidence.run(id, eventId, role).changes;
        if (c.root) insertObject.run(id, c.root.id, 'root');
        for (const o of c.affected) if (o !== c.root?.id) insertObject.run(id, o, 'affected');
        if (c.root?.uid && stepKinds.has(c.kind)) byKindAndUid.set(`${c.kind}\u0000${c.root.uid}`, id);
        if (details.causeChain.some((step) => step.objectUid && INCIDENT_KIND_SET.has(step.kind))) toFix.push({ id, details });
      }
      // Cause-chain steps that are incidents of their own (in the same cluster) point at them.
      for (const w of toFix) {
        let changed = false;
        for (const step of w.details.causeChain) {
          const id = step.objectUid ? byKindAndUid.get(`${step.kind}\u0000${step.objectUid}`) : undefined;
          if (id !== undefined && id !== w.id) {
            step.incidentId = id;
            changed = true;
          }
        }
        if (changed) updateDetails.run(JSON.stringify(w.details), w.id);
      }
    }
  })();
  return { evidenceRows };
}
