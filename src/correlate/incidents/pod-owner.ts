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
  /** Some edge up to the workload is only the ReplicaSet naming pattern (owners.ts), not a line's word. */
  guessed: boolean;
}

export function podOwner(view: StoreView, pod: RootRef, time: number): PodOwner {
  const object = view.resolve(pod, time);
  if (object) {
    const chain = view.ownerChain(object.id);
    const top = chain.find((o) => WORKLOADS.includes(o.kind)) ?? chain[0];
    // Keyed by name: the objects table can hold one workload several times (a name seen with and
    // without its UID, or recreated), and its pods' failures are still one story.
    if (top) {
      let guessed = false;
      let below = object;
      for (const o of chain.slice(0, chain.indexOf(top) + 1)) {
        if (view.ownerVia(below.id, o.id) === 'name-pattern') guessed = true;
        below = o;
      }
      return { object: top, ref: { kind: top.kind, namespace: top.namespace, name: top.name, uid: top.uid }, key: describeRef(top), guessed };
    }
    return { object, ref: pod, key: describeRef(object), guessed: false };
  }
  return { object: undefined, ref: pod, key: describeRef(pod), guessed: false };
}

/**
 * The workload of a run of pods, as a summary names it: marked when the owner of some of them is
 * only inferred from their names (no line said which ReplicaSet made them).
 */
export function workloadLabel(owners: readonly PodOwner[]): string {
  const label = describeRef(owners[0]!.ref);
  const guessed = owners.filter((o) => o.guessed).length;
  if (guessed === 0) return label;
  return guessed === owners.length ? `${label} (owner inferred from the pod names)` : `${label} (owner of ${guessed} of ${owners.length} inferred from the pod names)`;
}
