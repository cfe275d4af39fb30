/**
 * The workload a pod belongs to, for the rules whose fault is a controller's pods failing one after
 * another (each replacement fails like the last): the pod's Deployment (or StatefulSet, DaemonSet,
 * Job), else its ReplicaSet, through the owner graph (src/correlate/owners.ts).
 */
import { describeRef, type ObjectRow, type StoreView } from '../../store/incident-view.js';
import type { RootRef } from './types.js';

const WORKLOADS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'];

export interface PodOwner {
  /** The workload, or the pod itself when it has no known owner. */
  object: ObjectRow | undefined;
  ref: RootRef;
  key: string;
}

export function podOwner(view: StoreView, pod: RootRef, time: number): PodOwner {
  const object = view.resolve(pod, time);
  if (object) {
    const chain = view.ownerChain(object.id);
    const top = chain.find((o) => WORKLOADS.includes(o.kind)) ?? chain[0];
    // Keyed by name: the objects table can hold one workload several times (a name seen with and
    // without its UID, or recreated), and its pods' failures are still one story.
    if (top) return { object: top, ref: { kind: top.kind, namespace: top.namespace, name: top.name, uid: top.uid }, key: describeRef(top) };
    return { object, ref: pod, key: describeRef(object) };
  }
  return { object: undefined, ref: pod, key: describeRef(pod) };
}
