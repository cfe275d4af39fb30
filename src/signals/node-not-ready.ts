/**
 * node-not-ready: the node controller saw a node stop reporting: `"Node hasn't been updated"
 * node="n"` from the controller-manager, or its Event `NodeNotReady` about a Node (the kubelet
 * records a NodeNotReady of its own at boot: that is not this signal).
 */
import { kubeEventOf } from './kube-event.js';
import type { Facts, Signal } from './types.js';

export const nodeNotReady: Signal = {
  name: 'node-not-ready',
  components: ['event', 'kube-controller-manager'],
  describe: "the node controller saw a node stop reporting (Node hasn't been updated, its NodeNotReady Event)",
  match(e): Facts | undefined {
    if (e.component === 'kube-controller-manager' && e.message === "Node hasn't been updated") return {};
    const k = kubeEventOf(e);
    if (k?.reason !== 'NodeNotReady') return undefined;
    if (e.component === 'event' ? e.fields['sourceComponent'] !== 'node-controller' : e.component !== 'kube-controller-manager') return undefined;
    return { event: true };
  },
};
