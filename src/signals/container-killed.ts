/**
 * container-killed: the kubelet stops a container on purpose (a deletion, a failed liveness
 * probe): `"Killing container with a grace period"`, or the Event `Killing: Stopping container`.
 * An exit 137 right after it is this kill, not the OOM killer.
 */
import { EVENT_COMPONENTS, kubeEventOf } from './kube-event.js';
import type { Facts, Signal } from './types.js';

export const containerKilled: Signal = {
  name: 'container-killed',
  components: EVENT_COMPONENTS,
  describe: 'the kubelet kills a container on purpose (Killing container with a grace period, Killing Event)',
  match(e): Facts | undefined {
    // kubelet 1.21 says "Killing container with a grace period override" when the deletion set one.
    if (e.component === 'kubelet' && e.message.startsWith('Killing container with a grace period')) return {};
    return kubeEventOf(e)?.reason === 'Killing' ? { event: true } : undefined;
  },
};
