/**
 * Pod signals grouped by the workload that owns the pods (pod-owner.ts) and split by a quiet gap:
 * the shape of the rules where each replacement pod fails like the last (eviction churn, pods
 * rejected at admission).
 */
import { asKubeEvent } from '../kube-events.js';
import { groupBy, splitByGap } from '../group.js';
import { podOwner, type PodOwner } from '../pod-owner.js';
import { podRefOf } from '../pod-ref.js';
import type { SignalledEvent, StoreView } from '../../../store/incident-view.js';
import type { RootRef } from '../types.js';

export interface OwnedSignal {
  event: SignalledEvent;
  pod: RootRef;
  owner: PodOwner;
  /** How many occurrences it stands for (an aggregated Event's count). */
  count: number;
}

export function ownerRuns(view: StoreView, events: readonly SignalledEvent[], gap: number): OwnedSignal[][] {
  const owned: OwnedSignal[] = [];
  for (const e of events) {
    const k = e.facts['event'] === true ? asKubeEvent(view, e) : undefined;
    const pod = k ? (k.involved?.kind === 'Pod' ? k.involved : undefined) : podRefOf(e);
    if (!pod) continue;
    owned.push({ event: e, pod, owner: podOwner(view, pod, e.time), count: k?.count ?? 1 });
  }
  const runs: OwnedSignal[][] = [];
  for (const list of groupBy(owned, (s) => s.owner.key).values()) runs.push(...splitByGap(list, gap, (s) => s.event.time));
  return runs.sort((a, b) => a[0]!.event.time - b[0]!.event.time);
}
