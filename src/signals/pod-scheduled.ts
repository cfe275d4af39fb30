/**
 * pod-scheduled: the scheduler placed a pod on a node: `"Successfully bound pod to node"
 * pod="ns/name" node="n"`, or the Event `Scheduled: Successfully assigned ns/name to n`.
 * Context for unschedulable pods: the wait ends here.
 */
import { EVENT_COMPONENTS, kubeEventOf } from './kube-event.js';
import type { Facts, Signal } from './types.js';

export const podScheduled: Signal = {
  name: 'pod-scheduled',
  components: EVENT_COMPONENTS,
  describe: 'the scheduler bound a pod to a node (Successfully bound pod to node, Scheduled Event)',
  match(e): Facts | undefined {
    if (e.component === 'kube-scheduler' && e.message === 'Successfully bound pod to node') return {};
    return kubeEventOf(e)?.reason === 'Scheduled' ? { event: true } : undefined;
  },
};
