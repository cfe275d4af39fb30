/**
 * eviction-churn: the descheduler evicting the pods of one workload again and again, because the
 * scheduler puts each replacement back where the descheduler's strategy says it must not be (a
 * RemoveDuplicates or spreading setting that conflicts with the scheduler's). Root: the workload.
 *
 * Threshold: three evictions of one workload's pods, each within 30 minutes of the last (the
 * descheduler runs on a period, so its evictions come in rounds minutes apart). One eviction to
 * rebalance is the descheduler doing its job.
 */
import { MINUTE } from '../group.js';
import { ownerRunRule, type OwnedSignal } from './owner-runs.js';
import { workloadLabel } from '../pod-owner.js';

const strategiesOf = (run: readonly OwnedSignal[]): string[] => [...new Set(run.map((s) => String(s.event.facts['reason'])))];

export const evictionChurnRule = ownerRunRule('eviction-churn', 'warn', 'the descheduler evicting 3+ pods of one workload, each within 30 min of the last', {
  events: (view) => view.signalled(['pod-evicted']).filter((e) => e.facts['by'] === 'descheduler'),
  gap: 30 * MINUTE,
  min: 3,
  counted: 'evictions',
  finish: (c, run) => void (c.notes['strategies'] = strategiesOf(run)),
  summarize: (run, n, span) => `the descheduler evicted ${n} pods of ${workloadLabel(run.map((s) => s.owner))} in ${span} (${strategiesOf(run).join(', ')})`,
});
