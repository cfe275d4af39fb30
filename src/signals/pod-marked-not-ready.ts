/**
 * pod-marked-not-ready: the node lifecycle controller marks a pod not ready because its node
 * stopped reporting: `"Updating ready status of pod to false" logger="node-lifecycle-controller"
 * pod="ns/name"` (pkg/controller/util/node/controller_utils.go MarkPodsNotReady), and the Event
 * `NodeNotReady: Node is not ready` it records on each pod. The NodeNotReady Event about the Node
 * itself is node-not-ready, not this. Facts: `event` for the Event.
 */
import { EVENT_COMPONENTS, kubeEventOf } from './kube-event.js';
import type { Facts, Signal } from './types.js';

export const podMarkedNotReady: Signal = {
  name: 'pod-marked-not-ready',
  context: true,
  components: EVENT_COMPONENTS,
  describe: "the node controller marks a node's pods not ready (Updating ready status of pod to false, NodeNotReady Events on pods)",
  match(e): Facts | undefined {
    if (e.component === 'kube-controller-manager' && e.message === 'Updating ready status of pod to false') return {};
    const k = kubeEventOf(e);
    if (k?.reason !== 'NodeNotReady') return undefined;
    // An Event document does not say its object's kind in its fields: the Node's own Event says
    // `Node kind-worker status is now: NodeNotReady`, a pod's `Node is not ready`.
    const aboutNode = k.kind === undefined ? k.text.includes(' status is now: ') : k.kind === 'Node';
    return aboutNode ? undefined : { event: true };
  },
};
