/**
 * Building a candidate incident: evidence with one role per event (the strongest wins), the time
 * span following the evidence that makes it, and the root named even when no object matches.
 */
import type { Severity } from '../../model/event.js';
import type { EventRow, ObjectRow } from '../../store/incident-view.js';
import { describeRef } from '../../store/incident-view.js';
import { evidenceRoleRank } from '../../store/evidence-roles.js';
import type { Candidate, EvidenceRole, IncidentKind, RootRef } from './types.js';

export function newCandidate(
  kind: IncidentKind,
  severity: Severity,
  root: ObjectRow | undefined,
  rootRef: RootRef,
  summary: string,
): Candidate {
  return {
    kind,
    severity,
    start: Number.MAX_SAFE_INTEGER,
    end: Number.MIN_SAFE_INTEGER,
    root,
    rootRef: root ? { kind: root.kind, namespace: root.namespace, name: root.name ?? rootRef.name, uid: root.uid ?? rootRef.uid } : rootRef,
    summary,
    evidence: new Map(),
    affected: new Set(),
    causeChain: [],
    counts: {},
    notes: {},
    absorbed: [],
  };
}

/** Adds an event in a role; an event already there keeps the stronger of the two roles. */
export function addEvidence(c: Candidate, eventId: number, role: EvidenceRole): void {
  const had = c.evidence.get(eventId);
  // When one event plays several roles, the strongest (first in the one role order) is kept.
  if (had === undefined || evidenceRoleRank(role) < evidenceRoleRank(had)) c.evidence.set(eventId, role);
}

/**
 * Adds events; `spans` says whether they stretch the incident's time span. By default only
 * triggers do: the fault is when it shows, and the story around it (the rollout that made the
 * pod, the pod's creation) is context, not the incident's start.
 */
export function addEvents(c: Candidate, events: readonly Pick<EventRow, 'id' | 'time'>[], role: EvidenceRole, spans = role === 'trigger'): void {
  for (const e of events) {
    addEvidence(c, e.id, role);
    if (spans) {
      if (e.time < c.start) c.start = e.time;
      if (e.time > c.end) c.end = e.time;
    }
  }
}

export function rootLabel(c: Pick<Candidate, 'root' | 'rootRef'>): string {
  return describeRef(c.root ?? c.rootRef);
}

/** Adds one to a count in details.counts. */
export function bump(c: Candidate, key: string, by = 1): void {
  c.counts[key] = (c.counts[key] ?? 0) + by;
}
