/**
 * eviction-churn: the descheduler evicting the pods of one workload again and again, because the
 * scheduler puts each replacement back where the descheduler's strategy says it must not be (a
 * RemoveDuplicates or spreading setting that conflicts with the scheduler's). Root: the workload.
 *
 * Threshold: three evictions of one workload's pods, each within 30 minutes of the last (the
 * descheduler runs on a period, so its evictions come in rounds minutes apart). One eviction to
 * rebalance is the descheduler doing its job.
 */
import { addEvents, newCandidate } from '../candidate.js';
import { MINUTE, SECOND } from '../group.js';
import { describeRef } from '../../../store/incident-view.js';
import type { Candidate, Rule } from '../types.js';
import { ownerRuns } from './owner-runs.js';
import { workloadLabel } from '../pod-owner.js';

const GAP = 30 * MINUTE;
const MIN_EVICTIONS = 3;

export const evictionChurnRule: Rule = {
  kind: 'eviction-churn',
  severity: 'warn',
  describe: 'the descheduler evicting 3+ pods of one workload, each within 30 min of the last',
  detect(view) {
    const evictions = view.signalled(['pod-evicted']).filter((e) => e.facts['by'] === 'descheduler');
    const out: Candidate[] = [];
    for (const run of ownerRuns(view, evictions, GAP)) {
      const n = run.reduce((sum, s) => sum + s.count, 0);
      if (n < MIN_EVICTIONS) continue;
      const owner = run[0]!.owner;
      const c = newCandidate('eviction-churn', 'warn', owner.object, owner.ref, '');
      addEvents(c, run.map((s) => s.event), 'trigger');
      const pods = new Set(run.map((s) => describeRef(s.pod)));
      const strategies = [...new Set(run.map((s) => String(s.event.facts['reason'])))];
      c.counts['evictions'] = n;
      c.counts['pods'] = pods.size;
      c.notes['strategies'] = strategies;
      const span = c.end - c.start >= MINUTE ? `${Math.round((c.end - c.start) / MINUTE)} min` : `${Math.round((c.end - c.start) / SECOND)} s`;
      c.summary = `the descheduler evicted ${n} pods of ${workloadLabel(run.map((s) => s.owner))} in ${span} (${strategies.join(', ')})`;
      out.push(c);
    }
    return out;
  },
};
