/**
 * Incident detection: runs every rule (registry.ts) over a linked store, folds the incidents that
 * are parts of a bigger one into it (absorb.ts), and replaces the store's incidents with the
 * result (the store's detection area, src/store/incident-detection.ts). Needs the objects and
 * links of src/correlate/link.ts: run linkObjects first.
 * Each cluster is detected on its own, from a view of its events and objects only, and its
 * incidents carry its name: no incident gathers evidence from two clusters.
 *
 *   linkObjects(store.correlation);
 *   const summary = detectIncidents(store);
 */
import type { KtrailStore } from '../../store/store.js';
import { absorbIncidents } from './absorb.js';
import { RULES } from './registry.js';
import type { Candidate, DetectOptions, IncidentSummary } from './types.js';

export type { DetectOptions, IncidentSummary, Rule, IncidentKind, EvidenceRole, ObjectRole } from './types.js';
export { INCIDENT_KINDS } from './types.js';
export { RULES } from './registry.js';
import { SIGNAL_REGISTRY } from '../../signals/index.js';
export type { IncidentDetails } from '../../store/incident-writer.js';
import type { ClusterIncidents } from '../../store/incident-writer.js';
import { appendAll } from '../../util/append.js';
import { timePhase } from '../../util/phase-timing.js';

/**
 * One cluster's incidents, in start order. Its own function so that the rules' view (the events,
 * objects and indexes they read: about 70% of detection's heap, 72 MB on a 200k-event store)
 * is garbage once the candidates are found, not held through the other clusters and the write
 * of every incident (measured: heap 108 -> 36 MB before the write).
 */
function detectCluster(
  store: Pick<KtrailStore, 'detection'>,
  cluster: string,
  opts: DetectOptions,
): { kept: Candidate[]; absorbed: number; linked: boolean } {
  const view = store.detection.view(opts.minConfidence ?? 0.5, cluster, SIGNAL_REGISTRY.names);
  const found: Candidate[] = [];
  for (const rule of opts.rules ?? RULES) appendAll(found, timePhase(`rule ${rule.kind}`, () => rule.detect(view)));
  const one = timePhase('absorb', () => absorbIncidents(view, found));
  one.kept.sort((a, b) => a.start - b.start || a.kind.localeCompare(b.kind));
  return { ...one, linked: view.hasObjects() };
}

export function detectIncidents(store: Pick<KtrailStore, 'detection'>, opts: DetectOptions = {}): IncidentSummary {
  const started = performance.now();
  // The facts rules are made of, recognized once per pass (src/signals/).
  timePhase('signals', () => store.detection.computeSignals(SIGNAL_REGISTRY));
  const clusters: ClusterIncidents[] = [];
  const kept: Candidate[] = [];
  let absorbed = 0;
  let linked = false;
  for (const cluster of store.detection.clusters()) {
    const one = detectCluster(store, cluster, opts);
    clusters.push({ cluster, candidates: one.kept });
    appendAll(kept, one.kept);
    absorbed += one.absorbed;
    linked ||= one.linked;
  }
  const { evidenceRows } = timePhase('incident write', () => store.detection.replaceIncidents(clusters, opts.maxEvidence ?? 20_000));
  const summary: IncidentSummary = {
    incidents: kept.length,
    byKind: {},
    bySeverity: {},
    absorbed,
    evidenceRows,
    unresolvedRoots: kept.filter((c) => !c.root).length,
    linked,
    elapsedMs: Math.round(performance.now() - started),
  };
  for (const c of kept) {
    summary.byKind[c.kind] = (summary.byKind[c.kind] ?? 0) + 1;
    summary.bySeverity[c.severity] = (summary.bySeverity[c.severity] ?? 0) + 1;
  }
  return summary;
}
