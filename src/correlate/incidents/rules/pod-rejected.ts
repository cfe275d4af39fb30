/**
 * pod-rejected: kubelets refusing, at admission, the pods a workload keeps making (`OutOfcpu:
 * Node didn't have enough resource: cpu, requested: 5000, used: 6700, capacity: 8000`): each
 * rejected pod fails at once and its ReplicaSet makes another, which the scheduler binds to the same
 * node, and so on. Root: the workload.
 *
 * Threshold: three rejections of one workload's pods, each within 10 minutes of the last. Summary:
 * the kubelet's reason and text as stated, with the nodes that said it.
 */
import { addEvents, newCandidate } from '../candidate.js';
import { MINUTE, SECOND } from '../group.js';
import { describeRef } from '../../../store/incident-view.js';
import type { Candidate, Rule } from '../types.js';
import { ownerRuns } from './owner-runs.js';
import { workloadLabel } from '../pod-owner.js';

const GAP = 10 * MINUTE;
const MIN_REJECTIONS = 3;

export const podRejectedRule: Rule = {
  kind: 'pod-rejected',
  severity: 'error',
  describe: "3+ pods of one workload rejected by kubelets at admission (OutOfcpu...), each within 10 min of the last",
  detect(view) {
    const out: Candidate[] = [];
    for (const run of ownerRuns(view, view.signalled(['pod-rejected']), GAP)) {
      const n = run.reduce((sum, s) => sum + s.count, 0);
      if (n < MIN_REJECTIONS) continue;
      const owner = run[0]!.owner;
      const c = newCandidate('pod-rejected', 'error', owner.object, owner.ref, '');
      addEvents(c, run.map((s) => s.event), 'trigger');
      const nodes = [...new Set(run.map((s) => s.event.fields['host']).filter((h): h is string => typeof h === 'string'))];
      const last = run[run.length - 1]!.event.facts;
      c.counts['rejections'] = n;
      c.counts['pods'] = new Set(run.map((s) => describeRef(s.pod))).size;
      c.notes['nodes'] = nodes;
      const span = c.end - c.start >= MINUTE ? `${Math.round((c.end - c.start) / MINUTE)} min` : `${Math.round((c.end - c.start) / SECOND)} s`;
      c.summary = `${n} pods of ${workloadLabel(run.map((s) => s.owner))} rejected by the kubelet${nodes.length ? ` of ${nodes.join(', ')}` : ''} in ${span}: ${String(last['reason'])}: ${String(last['text'])}`;
      out.push(c);
    }
    return out;
  },
};
