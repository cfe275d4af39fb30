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
import { CandidateSpill } from '../../store/candidate-spill.js';
import { absorbIncidents, foldingKinds } from './absorb.js';
import { RULES } from './registry.js';
import type { DetectOptions, IncidentSummary } from './types.js';

export type { DetectOptions, IncidentSummary, Rule, IncidentKind, EvidenceRole, ObjectRole } from './types.js';
export { INCIDENT_KINDS } from './types.js';
export { RULES } from './registry.js';
import { SIGNAL_REGISTRY } from '../../signals/index.js';
export type { IncidentDetails } from '../../store/incident-writer.js';
import type { ClusterIncidents } from '../../store/incident-writer.js';
import { startPhase, timePhase } from '../../util/phase-timing.js';
import { releaseGarbage, releasePhaseGarbage } from '../../util/release-garbage.js';

/**
 * Finds one cluster's incidents into the spill. Its own function so that the rules' view (the
 * events, objects and indexes they read: about 70% of detection's heap, 72 MB on a 200k-event
 * store) is garbage once the candidates are found, not held through the other clusters and the
 * write. Each candidate goes to the spill as a rule yields it: none is held past its rule.
 */
function detectCluster(store: Pick<KtrailStore, 'detection'>, cluster: string, opts: DetectOptions, spill: CandidateSpill): { linked: boolean } {
  const view = store.detection.view(opts.minConfidence ?? 0.5, cluster, SIGNAL_REGISTRY.names);
  for (const rule of opts.rules ?? RULES) {
    const end = startPhase(`rule ${rule.kind}`);
    let n = 0;
    for (const c of rule.detect(view)) {
      spill.add(cluster, c);
      if ((++n & 0xfff) === 0) releaseGarbage();
    }
    // What the rule read and grouped is garbage now: freed before the next rule piles on.
    releasePhaseGarbage();
    end();
  }
  return { linked: view.hasObjects() };
}

/**
 * Folds a cluster's candidates (absorb.ts) in the spill: only the kinds a fold can act on are
 * loaded; the folded ones leave the spill, and the hosts that took them are stored again.
 */
function absorbCluster(cluster: string, spill: CandidateSpill): number {
  const loaded = spill.load(cluster, foldingKinds(spill.kinds(cluster)));
  const { kept, absorbed } = absorbIncidents([...loaded.keys()]);
  const stays = new Set(kept);
  for (const [c, seq] of loaded) {
    if (stays.has(c)) spill.update(seq, c);
    else spill.remove(seq);
  }
  return absorbed;
}

export function detectIncidents(store: Pick<KtrailStore, 'detection'>, opts: DetectOptions = {}): IncidentSummary {
  const started = performance.now();
  // The facts rules are made of, recognized once per pass (src/signals/).
  timePhase('signals', () => store.detection.computeSignals(SIGNAL_REGISTRY));
  const summary: IncidentSummary = { incidents: 0, byKind: {}, bySeverity: {}, absorbed: 0, evidenceRows: 0, unresolvedRoots: 0, linked: false, elapsedMs: 0 };
  const spill = new CandidateSpill(store.detection.scratchDir());
  try {
    const clusters: ClusterIncidents[] = [];
    for (const cluster of store.detection.clusters()) {
      const { linked } = detectCluster(store, cluster, opts, spill);
      summary.linked ||= linked;
      summary.absorbed += timePhase('absorb', () => absorbCluster(cluster, spill));
      const tally = spill.tally(cluster);
      summary.incidents += tally.incidents;
      summary.unresolvedRoots += tally.unresolved;
      for (const [kind, n] of tally.byKind) summary.byKind[kind] = (summary.byKind[kind] ?? 0) + n;
      for (const [severity, n] of tally.bySeverity) summary.bySeverity[severity] = (summary.bySeverity[severity] ?? 0) + n;
      clusters.push({ cluster, candidates: spill.sorted(cluster), stepKinds: spill.stepKinds });
    }
    summary.evidenceRows = timePhase('incident write', () => store.detection.replaceIncidents(clusters, opts.maxEvidence ?? 20_000)).evidenceRows;
  } finally {
    spill.close();
  }
  summary.elapsedMs = Math.round(performance.now() - started);
  return summary;
}
