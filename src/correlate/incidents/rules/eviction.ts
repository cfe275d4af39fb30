/**
 * eviction: a pod evicted from its node: by the kubelet under resource pressure (Event `Evicted:
 * The node was low on resource: memory`, `"Eviction manager: pod is evicted successfully"`), or by
 * the taint-eviction controller (Event `TaintManagerEviction: Marking for deletion Pod ns/name`,
 * its `"Deleting pod"` line). Root: the pod. One eviction is enough (the pod lost its node), but
 * evictions caused by a node outage are steps of that node-not-ready incident, not incidents of
 * their own (absorb.ts folds them in).
 */
import { MINUTE } from '../group.js';
import { asKubeEvent } from '../kube-events.js';
import { podRule, podSignalReader, podsLabel, type PodSignal } from '../pod-incidents.js';
import { podRefOf } from '../pod-ref.js';
import type { StoreView } from '../../../store/incident-view.js';

const GAP = 10 * MINUTE;

/** The kubelet's and the taint manager's evictions, each as a signal about its pod. */
function evictionSignals(view: StoreView): PodSignal[] {
  const signals: PodSignal[] = [];
  const podSignal = podSignalReader(view);
  for (const e of view.eachSignalled(['pod-evicted'])) {
    // The descheduler's evictions are planned one by one; their repetition is eviction-churn's.
    if (e.facts['by'] === 'descheduler') continue;
    if (e.facts['event'] === true) {
      const k = asKubeEvent(view, e);
      if (k?.involved?.kind === 'Pod') signals.push(podSignal(e, k.involved, 'trigger', 'evicted', k.count, k.text));
      continue;
    }
    const pod = podRefOf(e);
    if (pod) signals.push(podSignal(e, pod, 'trigger', 'evicted'));
  }
  return signals;
}

export const evictionRule = podRule('eviction', 'warn', 'a pod evicted (kubelet pressure or taint eviction): one is enough; folded into node-not-ready when the node was down', (view) => ({
  signals: evictionSignals(view),
  gap: GAP,
  qualifies: (run) => run.signals.length > 0,
  summarize(runs) {
    const why = runs[0]!.signals.map((s) => s.detail).find((d) => d && !d.startsWith('Marking for deletion'));
    return `${podsLabel(runs)} evicted${why ? `: ${why}` : ''}`;
  },
}));
