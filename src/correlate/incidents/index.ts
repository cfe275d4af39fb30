/**
 * Incident detection: runs every rule (registry.ts) over a linked store, folds the incidents that
 * are parts of a bigger one into it (absorb.ts), and replaces the store's incidents with the
 * result (the store's detection area, src/store/incident-detection.ts). Needs the objects and
 * links of src/correlate/link.ts: run linkObjects first.
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
export type { IncidentDetails } from '../../store/incident-writer.js';

export function detectIncidents(store: Pick<KtrailStore, 'detection'>, opts: DetectOptions = {}): IncidentSummary {
  const started = performance.now();
  // The facts rules are made of, recognized once per pass (src/signals/).
  store.detection.computeSignals();
  const view = store.detection.view(opts.minConfidence ?? 0.5);
  const found: Candidate[] = [];
  for (const rule of opts.rules ?? RULES) found.push(...rule.detect(view));
  const { kept, absorbed } = absorbIncidents(view, found);
  kept.sort((a, b) => a.start - b.start || a.kind.localeCompare(b.kind));
  const { evidenceRows } = store.detection.replaceIncidents(kept, opts.maxEvidence ?? 20_000);
  const summary: IncidentSummary = {
    incidents: kept.length,
    byKind: {},
    bySeverity: {},
    absorbed,
    evidenceRows,
    unresolvedRoots: kept.filter((c) => !c.root).length,
    linked: view.hasObjects(),
    elapsedMs: Math.round(performance.now() - started),
  };
  for (const c of kept) {
    summary.byKind[c.kind] = (summary.byKind[c.kind] ?? 0) + 1;
    summary.bySeverity[c.severity] = (summary.bySeverity[c.severity] ?? 0) + 1;
  }
  return summary;
}
