/**
 * Which node a pod ran on, from what the logs say about the pod: the scheduler's `"Successfully
 * bound pod to node" node=...`, the Event `Scheduled: Successfully assigned ns/pod to node`, or the
 * host of a kubelet line about it. The latest placement at or before a time wins (a pod is bound
 * once, but a name can be reused by a later pod that the linker kept apart by UID).
 */
import { nameField } from './pod-ref.js';
import { podScheduled } from '../../signals/pod-scheduled.js';
import { str } from '../../signals/types.js';
import type { ObjectRow, StoreView } from '../../store/incident-view.js';

const PLACEMENT_COMPONENTS = ['kube-scheduler', 'event', 'kubelet'];

export function nodeOfPod(view: StoreView, pod: ObjectRow, time: number): string | undefined {
  const from = (pod.firstSeen ?? time) - 60_000_000;
  let best: { time: number; node: string } | undefined;
  let earliest: { time: number; node: string } | undefined;
  for (const e of view.eventsAbout(pod.id, from, Math.max(time, pod.lastSeen ?? time), PLACEMENT_COMPONENTS)) {
    let node: string | undefined;
    if (e.component === 'kube-scheduler') node = nameField(e.fields['node']);
    // The Scheduled Event's node is the pod-scheduled signal's fact (src/signals/pod-scheduled.ts).
    else if (e.component === 'event') node = str(podScheduled.match(e)?.['node']);
    else if (e.component === 'kubelet' && e.host) node = e.host;
    if (!node) continue;
    if (!earliest) earliest = { time: e.time, node };
    if (e.time <= time) best = { time: e.time, node };
    else if (best) break;
  }
  return (best ?? earliest)?.node;
}
