/**
 * pod-scheduled: the scheduler placed a pod on a node: `"Successfully bound pod to node"
 * pod="ns/name" node="n"`, or the Event `Scheduled: Successfully assigned ns/name to n`.
 * Context for unschedulable pods: the wait ends here.
 * Facts: `node`, the node an Event document names at the end of its text (the scheduler's own line
 * has it in its `node` field already; a recorder's "Event occurred" line is not read for it, as
 * pod placement never read one), `event`.
 */
import { EVENT_COMPONENTS, kubeEventOf } from './kube-event.js';
import { presentFacts, type Facts, type Signal } from './types.js';

/** `Successfully assigned ns/name to node`: the node is the last word (a DNS subdomain). */
const ASSIGNED = / to ([a-z0-9][-a-z0-9.]{0,252})$/;

export const podScheduled: Signal = {
  name: 'pod-scheduled',
  components: EVENT_COMPONENTS,
  describe: 'the scheduler bound a pod to a node (Successfully bound pod to node, Scheduled Event)',
  match(e): Facts | undefined {
    if (e.component === 'kube-scheduler' && e.message === 'Successfully bound pod to node') return {};
    const k = kubeEventOf(e);
    if (k?.reason !== 'Scheduled') return undefined;
    return e.component === 'event' ? presentFacts({ event: true, node: ASSIGNED.exec(k.text)?.[1] }) : { event: true };
  },
};
