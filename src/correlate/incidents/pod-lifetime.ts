/**
 * When a pod stopped existing, from what the logs say about it: the DELETE in audit, the kubelet's
 * `SyncLoop DELETE`/`SyncLoop REMOVE`, the taint-eviction controller's `"Deleting pod"`, the
 * ReplicaSet's `Deleted pod: <name>`. The linker's `deleted` wins when it has one. A pod's
 * last_seen is no end of life: a healthy pod can run for hours without a line about it.
 */
import type { ObjectRow, StoreView } from '../../store/incident-view.js';

const DELETION_COMPONENTS = ['audit', 'kubelet', 'kube-controller-manager', 'event'];
const cache = new WeakMap<StoreView, Map<number, number>>();

export function podGoneAt(view: StoreView, pod: ObjectRow): number {
  if (pod.deleted !== null) return pod.deleted;
  let memo = cache.get(view);
  if (!memo) cache.set(view, (memo = new Map()));
  const hit = memo.get(pod.id);
  if (hit !== undefined) return hit;
  let gone = Number.POSITIVE_INFINITY;
  for (const e of view.eventsAbout(pod.id, pod.firstSeen ?? Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, DELETION_COMPONENTS)) {
    const verb = typeof e.fields['verb'] === 'string' ? e.fields['verb'].toLowerCase() : '';
    const deleted =
      (e.component === 'audit' && verb === 'delete' && !String(e.fields['requestURI'] ?? '').includes('/eviction')) ||
      (e.component === 'kubelet' && (e.message === 'SyncLoop DELETE' || e.message === 'SyncLoop REMOVE' || e.message.startsWith('SyncLoop (DELETE') || e.message.startsWith('SyncLoop (REMOVE'))) ||
      (e.component === 'kube-controller-manager' && e.message === 'Deleting pod') ||
      (e.fields['reason'] === 'SuccessfulDelete');
    if (deleted) {
      gone = e.time;
      break;
    }
  }
  memo.set(pod.id, gone);
  return gone;
}

export function podAlive(view: StoreView, pod: ObjectRow, time: number): boolean {
  return (pod.firstSeen ?? time) <= time && time <= podGoneAt(view, pod);
}
