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
import { BulkInsert, type Column } from './bulk-insert.js';

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

/**
 * Incidents written per chunk: the events their evidence names are read with one statement (ids
 * in order, through the events' primary key), and the incidents, evidence and objects go in with
 * multi-row inserts. Row by row, the write took 16 s for the 625k crash loops of a 5M-event
 * store, four statements and a random event read per incident. A chunk also ends once it names
 * this many evidence rows, so that one huge incident (its whole story, before the cap) does not
 * make another read grow.
 */
const CHUNK_INCIDENTS = 512;
const CHUNK_EVIDENCE = 65_536;

/** An evidence row's event, as details need it. */
interface EvidenceEvent {
  component: string;
  line: number;
  sourceId: number;
}

/** A candidate with its evidence in the order it is stored, and the id it is written under. */
interface Ordered {
  c: Candidate;
  rows: [number, EvidenceRole][];
}

interface IncidentRow {
  id: number;
  cluster: string;
  c: Candidate;
  details: string;
}

type LinkRow = readonly [incidentId: number, targetId: number, role: string];

export function writeIncidents(db: Database.Database, clusters: readonly ClusterIncidents[], maxEvidence: number): { evidenceRows: number } {
  const eventsById = db.prepare('SELECT id, component, line, source_id AS sourceId FROM events WHERE id IN (SELECT value FROM json_each(?))');
  const sources = new Map((db.prepare('SELECT id, display FROM sources').all() as { id: number; display: string }[]).map((r) => [r.id, r.display]));
  const insertIncidents = new BulkInsert<IncidentRow>(db, 'incidents', [
    ['id', (r) => r.id],
    ['cluster', (r) => r.cluster],
    ['kind', (r) => r.c.kind],
    ['severity', (r) => severityRank(r.c.severity)],
    ['start_time', (r) => (r.c.start <= r.c.end ? r.c.start : r.c.end)],
    ['end_time', (r) => r.c.end],
    ['root_object_id', (r) => r.c.root?.id ?? null],
    ['summary', (r) => r.c.summary],
    ['details', (r) => r.details],
  ]);
  const linkColumns = (target: string): Column<LinkRow>[] => [
    ['incident_id', (r) => r[0]],
    [target, (r) => r[1]],
    ['role', (r) => r[2]],
  ];
  const insertEvidence = new BulkInsert<LinkRow>(db, 'incident_evidence', linkColumns('event_id'), { verb: 'INSERT OR IGNORE' });
  const insertObjects = new BulkInsert<LinkRow>(db, 'incident_objects', linkColumns('object_id'), { verb: 'INSERT OR IGNORE' });
  const updateDetails = db.prepare('UPDATE incidents SET details = ? WHERE id = ?');
  let evidenceRows = 0;

  db.transaction(() => {
    db.exec('DELETE FROM incident_objects; DELETE FROM incident_evidence; DELETE FROM incidents;');
    // Ids as SQLite would give them (the table is empty, its key a rowid): known before each
    // multi-row insert, for the evidence and objects written with it.
    let nextId = 1;
    for (const { cluster, candidates, stepKinds: given } of clusters) {
      // The kinds cause-chain steps name: only an incident of such a kind can be a step's
      // incident, and only a step of an incident kind can point at one. What the fix-up below
      // needs is kept for those alone, not every incident's details (which, held for the whole
      // write, were the write's largest holder: 625k crash loops on a 5M-event store).
      const stepKinds = given ?? causeStepKinds(candidates);
      const byKindAndUid = new Map<string, number>();
      const toFix: { id: number; details: IncidentDetails }[] = [];
      let chunk: Ordered[] = [];
      let chunkEvidence = 0;

      const writeChunk = (): void => {
        const events = eventsIn(chunk);
        const written: { c: Candidate; id: number; kept: [number, EvidenceRole][] }[] = [];
        for (const { c, rows } of chunk) {
          const id = nextId++;
          const details = detailsOf(c, rows, events, sources);
          insertIncidents.add({ id, cluster, c, details: JSON.stringify(details) });
          written.push({ c, id, kept: rows.slice(0, maxEvidence) });
          if (c.root?.uid && stepKinds.has(c.kind)) byKindAndUid.set(`${c.kind}\u0000${c.root.uid}`, id);
          if (details.causeChain.some((step) => step.objectUid && INCIDENT_KIND_SET.has(step.kind))) toFix.push({ id, details });
        }
        // The incidents before the rows that reference them (foreign keys).
        insertIncidents.flush();
        for (const { c, id, kept } of written) {
          for (const [eventId, role] of kept) insertEvidence.add([id, eventId, role]);
          if (c.root) insertObjects.add([id, c.root.id, 'root']);
          for (const o of c.affected) if (o !== c.root?.id) insertObjects.add([id, o, 'affected']);
        }
        insertEvidence.flush();
        insertObjects.flush();
        chunk = [];
        chunkEvidence = 0;
        // Each chunk's rows and details are garbage once inserted: with no collection here, V8
        // let them pile up to its own limit (the 5M-event ingest's write went from 364 MB of RSS
        // to a peak of 1,265 MB).
        releaseGarbage();
      };

      const eventsIn = (list: readonly Ordered[]): Map<number, EvidenceEvent> => {
        const ids = new Set<number>();
        for (const { rows } of list) for (const [eventId] of rows) ids.add(eventId);
        const sorted = [...ids].sort((a, b) => a - b);
        const rows = eventsById.all(JSON.stringify(sorted)) as (EvidenceEvent & { id: number })[];
        return new Map(rows.map((r) => [r.id, r]));
      };

      for (const c of candidates) {
        // Strongest roles first, then time order (ids follow arrival), so a cap drops story, not faults.
        const rows = [...c.evidence].sort((a, b) => evidenceRoleRank(a[1]) - evidenceRoleRank(b[1]) || a[0] - b[0]);
        chunk.push({ c, rows });
        chunkEvidence += rows.length;
        if (chunk.length >= CHUNK_INCIDENTS || chunkEvidence >= CHUNK_EVIDENCE) writeChunk();
      }
      if (chunk.length) writeChunk();
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
    evidenceRows = (db.prepare('SELECT count(*) FROM incident_evidence').pluck().get() as number) ?? 0;
  })();
  return { evidenceRows };
}

/** An incident's details: its root, the components of its evidence, counts and the first triggers located. */
function detailsOf(c: Candidate, rows: readonly [number, EvidenceRole][], events: ReadonlyMap<number, EvidenceEvent>, sources: ReadonlyMap<number, string>): IncidentDetails {
  const components = new Set<string>();
  const counts: Record<string, number> = { trigger: 0, cause: 0, effect: 0, evidence: 0 };
  const samples: IncidentDetails['samples'] = [];
  for (const [eventId, role] of rows) {
    counts[role] = (counts[role] ?? 0) + 1;
    const info = events.get(eventId);
    if (!info) continue;
    components.add(info.component);
    if (samples.length < SAMPLES && role === 'trigger') samples.push({ eventId, file: sources.get(info.sourceId) ?? '?', line: info.line, component: info.component, role });
  }
  return {
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
}
