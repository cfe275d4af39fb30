/**
 * pod-evicted: a pod is evicted from its node. By the kubelet under resource pressure (`"Eviction
 * manager: pod is evicted successfully"`, the Event `Evicted: The node was low on resource:
 * memory`), or by the taint-eviction controller (its `"Deleting pod" controller="taint-eviction-
 * controller"` line, the Event `TaintManagerEviction: Marking for deletion Pod ns/name`).
 * The same Event reason also says `Cancelling deletion of Pod ns/name` when the node came back
 * before the eviction: that is the opposite of an eviction and is not this signal.
 * Facts: `by` (`kubelet` or `taint-manager`), `reason` (the Event's text, when there is one).
 */
import { EVENT_COMPONENTS, kubeEventOf } from './kube-event.js';
import type { Facts, Signal } from './types.js';

const KUBELET_EVICTED = /^Eviction manager: pod.*evicted/;

/** A TaintManagerEviction Event's text that does evict (not the cancelling of one). */
export function isTaintEviction(text: string): boolean {
  return text.startsWith('Marking for deletion');
}

function fromTaintManager(fields: Record<string, unknown>): boolean {
  return Object.values(fields).some((v) => typeof v === 'string' && v.includes('taint-eviction'));
}

export const podEvicted: Signal = {
  name: 'pod-evicted',
  components: EVENT_COMPONENTS,
  describe: 'a pod evicted by the kubelet (resource pressure) or the taint-eviction controller; not a cancelled eviction',
  match(e): Facts | undefined {
    if (e.component === 'kube-controller-manager' && e.message === 'Deleting pod') return fromTaintManager(e.fields) ? { by: 'taint-manager' } : undefined;
    if (e.component === 'kubelet' && KUBELET_EVICTED.test(e.message)) return { by: 'kubelet' };
    const k = kubeEventOf(e);
    if (k?.reason === 'Evicted') return { by: 'kubelet', reason: k.text, event: true };
    if (k?.reason === 'TaintManagerEviction' && isTaintEviction(k.text)) return { by: 'taint-manager', reason: k.text, event: true };
    return undefined;
  },
};
