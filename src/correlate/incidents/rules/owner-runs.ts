/**
 * Pod signals grouped by the workload that owns the pods (pod-owner.ts) and split by a quiet gap:
 * the shape of the rules where each replacement pod fails like the last (eviction churn, pods
 * rejected at admission).
 */
import { asKubeEvent } from '../kube-events.js';
import { groupBy, splitByGap } from '../group.js';
import { spanText } from './signal-runs.js';
import { podOwner, type PodOwner } from '../pod-owner.js';
import { podRefOf } from '../pod-ref.js';
import { describeRef, type SignalledEvent, type StoreView } from '../../../store/incident-view.js';
import type { Severity } from '../../../model/event.js';
import { addEvents, newCandidate } from '../candidate.js';
import type { Candidate, IncidentKind, RootRef, Rule } from '../types.js';
import { appendAll } from '../../../util/append.js';

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
  for (const list of groupBy(owned, (s) => s.owner.key).values()) appendAll(runs, splitByGap(list, gap, (s) => s.event.time));
  return runs.sort((a, b) => a[0]!.event.time - b[0]!.event.time);
}

export interface OwnerRunSpec {
  /** The events the rule reads. */
  events(view: StoreView): SignalledEvent[];
  /** Quiet time (microseconds) that ends a run. */
  gap: number;
  /** Occurrences (Event counts included) a run needs. */
  min: number;
  /** The name under which the occurrences are counted in details.counts. */
  counted: string;
  /** Notes, once the triggers are in. */
  finish?(c: Candidate, run: readonly OwnedSignal[]): void;
  /** The summary, given the occurrences and the span as text. */
  summarize(run: readonly OwnedSignal[], n: number, span: string): string;
}

/** A rule whose incident is a workload's pods failing one after another: one candidate a run past the threshold, rooted at the workload. */
export function ownerRunRule(kind: IncidentKind, severity: Severity, describe: string, spec: OwnerRunSpec): Rule {
  return {
    kind,
    severity,
    describe,
    detect(view) {
      const out: Candidate[] = [];
      for (const run of ownerRuns(view, spec.events(view), spec.gap)) {
        const n = run.reduce((sum, s) => sum + s.count, 0);
        if (n < spec.min) continue;
        const owner = run[0]!.owner;
        const c = newCandidate(kind, severity, owner.object, owner.ref, '');
        addEvents(c, run.map((s) => s.event), 'trigger');
        c.counts[spec.counted] = n;
        c.counts['pods'] = new Set(run.map((s) => describeRef(s.pod))).size;
        spec.finish?.(c, run);
        c.summary = spec.summarize(run, n, spanText(c.end - c.start));
        out.push(c);
      }
      return out;
    },
  };
}
