/**
 * Incidents for the incident list and an incident's page, from the store's incident reads
 * (which parse details leniently: an incident with odd details is still listed).
 */
import { describeObject } from '../../correlate/resolve-ref.js';
import type { Severity } from '../../model/event.js';
import type { CauseStep, IncidentQueries, IncidentRecord } from '../../store/store.js';

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

export type CauseStepView = CauseStep;

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
  /** Evidence events, strongest role first (EVIDENCE_ROLES), then in time order. */
  evidence: EvidenceEntry[];
}

function toRow(r: IncidentRecord): IncidentRow {
  return {
    id: r.id,
    kind: r.kind,
    severity: r.severity,
    start: r.start,
    end: r.end,
    rootObjectId: r.rootObjectId,
    root: r.root ? describeObject(r.root) : r.details.root?.label || '?',
    summary: r.summary,
  };
}

export class IncidentStore {
  constructor(private readonly incidents: IncidentQueries) {}

  /** Every incident, in start order. */
  list(): IncidentRow[] {
    return this.incidents.list().map(toRow);
  }

  load(id: number): IncidentData | undefined {
    const r = this.incidents.get(id);
    if (!r) return undefined;
    return {
      row: toRow(r),
      components: r.details.components,
      causeChain: r.details.causeChain,
      counts: r.details.counts,
      evidence: this.incidents.evidence(id).map(({ eventId, role, time }) => ({ eventId, role, time })),
    };
  }
}
