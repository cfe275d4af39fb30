/**
 * pod-rejected: kubelets refusing, at admission, the pods a workload keeps making (`OutOfcpu:
 * Node didn't have enough resource: cpu, requested: 5000, used: 6700, capacity: 8000`): each
 * rejected pod fails at once and its ReplicaSet makes another, which the scheduler binds to the same
 * node, and so on. Root: the workload.
 *
 * Threshold: three rejections of one workload's pods, each within 10 minutes of the last. Summary:
 * the kubelet's reason and text as stated, with the nodes that said it.
 */
import { MINUTE } from '../group.js';
import { ownerRunRule } from './owner-runs.js';
import { workloadLabel } from '../pod-owner.js';

export const podRejectedRule = ownerRunRule('pod-rejected', 'error', "3+ pods of one workload rejected by kubelets at admission (OutOfcpu...), each within 10 min of the last", {
  events: (view) => view.signalled(['pod-rejected']),
  gap: 10 * MINUTE,
  min: 3,
  counted: 'rejections',
  finish: (c, run) => void (c.notes['nodes'] = nodesOf(run.map((s) => s.event))),
  summarize(run, n, span) {
    const nodes = nodesOf(run.map((s) => s.event));
    const last = run[run.length - 1]!.event.facts;
    return `${n} pods of ${workloadLabel(run.map((s) => s.owner))} rejected by the kubelet${nodes.length ? ` of ${nodes.join(', ')}` : ''} in ${span}: ${String(last['reason'])}: ${String(last['text'])}`;
  },
});

function nodesOf(events: readonly { fields: Record<string, unknown> }[]): string[] {
  return [...new Set(events.map((e) => e.fields['host']).filter((h): h is string => typeof h === 'string'))];
}
