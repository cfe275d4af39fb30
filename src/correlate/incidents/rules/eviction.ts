/**
 * eviction: a pod evicted from its node: by the kubelet under resource pressure (Event `Evicted:
 * The node was low on resource: memory`, `"Eviction manager: pod is evicted successfully"`), or by
 * the taint-eviction controller (Event `TaintManagerEviction: Marking for deletion Pod ns/name`,
 * its `"Deleting pod"` line). Root: the pod. One eviction is enough (the pod lost its node), but
 * evictions caused by a node outage are steps of that node-not-ready incident, not incidents of
 * their own (absorb.ts folds them in).
 */
import { rootLabel } from '../candidate.js';
import { MINUTE } from '../group.js';
import { asKubeEvent } from '../kube-events.js';
import { podIncidents, podSignal, type PodSignal } from '../pod-incidents.js';
import { podRefOf } from '../pod-ref.js';
import type { Rule } from '../types.js';

const GAP = 10 * MINUTE;

export const evictionRule: Rule = {
  kind: 'eviction',
  severity: 'warn',
  describe: 'a pod evicted (kubelet pressure or taint eviction): one is enough; folded into node-not-ready when the node was down',
  detect(view) {
    const signals: PodSignal[] = [];
    for (const e of view.signalled(['pod-evicted'])) {
      if (e.facts['event'] === true) {
        const k = asKubeEvent(view, e);
        if (k?.involved?.kind === 'Pod') signals.push(podSignal(view, e, k.involved, 'trigger', 'evicted', k.count, k.text));
        continue;
      }
      const pod = podRefOf(e);
      if (pod) signals.push(podSignal(view, e, pod, 'trigger', 'evicted'));
    }
    return podIncidents(view, signals, {
      kind: 'eviction',
      severity: 'warn',
      gap: GAP,
      qualifies: (run) => run.signals.length > 0,
      summarize(runs) {
        const why = runs[0]!.signals.map((s) => s.detail).find((d) => d && !d.startsWith('Marking for deletion'));
        const more = runs.length > 1 ? ` (and ${runs.length - 1} more pod${runs.length > 2 ? 's' : ''})` : '';
        return `${rootLabel({ root: runs[0]!.object, rootRef: runs[0]!.pod })}${more} evicted${why ? `: ${why}` : ''}`;
      },
    });
  },
};
