/**
 * When a pod stopped existing, from what the logs say about it: the first line linked to it that
 * states object-deleted (src/signals/object-deleted.ts: the DELETE in audit, the kubelet's
 * `SyncLoop DELETE`/`SyncLoop REMOVE`, the controller-manager's `"Deleting pod"`, the
 * ReplicaSet's `Deleted pod: <name>`). The linker's `deleted` wins when it has one. A pod's
 * last_seen is no end of life: a healthy pod can run for hours without a line about it.
 */
import type { ObjectRow, StoreView } from '../../store/incident-view.js';

const DELETION_COMPONENTS = ['audit', 'kubelet', 'kube-controller-manager', 'event'];

interface Memo {
  /** The events that state a deletion (of anything: which object is the link's to say). */
  deletions: Set<number>;
  goneAt: Map<number, number>;
}

const cache = new WeakMap<StoreView, Memo>();

export function podGoneAt(view: StoreView, pod: ObjectRow): number {
  if (pod.deleted !== null) return pod.deleted;
  let memo = cache.get(view);
  if (!memo) cache.set(view, (memo = { deletions: new Set(Array.from(view.signalFacts('object-deleted'), (s) => s.id)), goneAt: new Map() }));
  const hit = memo.goneAt.get(pod.id);
  if (hit !== undefined) return hit;
  let gone = Number.POSITIVE_INFINITY;
  for (const e of view.eventsAbout(pod.id, pod.firstSeen ?? Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, DELETION_COMPONENTS)) {
    if (memo.deletions.has(e.id)) {
      gone = e.time;
      break;
    }
  }
  memo.goneAt.set(pod.id, gone);
  return gone;
}

export function podAlive(view: StoreView, pod: ObjectRow, time: number): boolean {
  return (pod.firstSeen ?? time) <= time && time <= podGoneAt(view, pod);
}
