/**
 * object-deleted: a line states that an object (most often a pod) was deleted, which ends its life
 * (src/correlate/incidents/pod-lifetime.ts) and, for a node's pods, tells its outage's evictions:
 *  - audit: a `delete` request (not an eviction's POST .../eviction, which only asks for one);
 *  - the kubelet: `"SyncLoop DELETE" source="api" pods=[ns/name]`, `"SyncLoop REMOVE"`, and the
 *    older `SyncLoop (DELETE, "api"): "name_ns(uid)"`;
 *  - the controller-manager: `"Deleting pod" controller="console-7994575dc5" pod="ns/name"` (a
 *    ReplicaSet scaling down, the taint-eviction controller evicting);
 *  - the Event `SuccessfulDelete: Deleted pod: name` a controller records.
 * Facts: `by` (`audit`, `kubelet`, `controller`, `event`).
 */
import type { Facts, Signal } from './types.js';

export const objectDeleted: Signal = {
  name: 'object-deleted',
  context: true,
  components: ['audit', 'kubelet', 'kube-controller-manager', 'event'],
  describe: 'an object deleted: an audit delete (not an eviction request), SyncLoop DELETE/REMOVE, Deleting pod, SuccessfulDelete',
  match(e): Facts | undefined {
    if (e.fields['reason'] === 'SuccessfulDelete') return { by: 'event' };
    switch (e.component) {
      case 'audit': {
        const verb = e.fields['verb'];
        if (typeof verb !== 'string' || verb.toLowerCase() !== 'delete') return undefined;
        return String(e.fields['requestURI'] ?? '').includes('/eviction') ? undefined : { by: 'audit' };
      }
      case 'kubelet':
        return e.message === 'SyncLoop DELETE' || e.message === 'SyncLoop REMOVE' || e.message.startsWith('SyncLoop (DELETE') || e.message.startsWith('SyncLoop (REMOVE')
          ? { by: 'kubelet' }
          : undefined;
      case 'kube-controller-manager':
        return e.message === 'Deleting pod' ? { by: 'controller' } : undefined;
      default:
        return undefined;
    }
  },
};
