/**
 * service-no-endpoints: every pod behind a Service fails its readiness probe, so the Service has no
 * endpoint left and kube-proxy rejects its connections. Root: the Service.
 *
 * Logs never print a Service's selector, so the pods behind it are found the way kubectl users
 * name things: pods whose controller (Deployment, StatefulSet, DaemonSet, ReplicaSet) has the
 * Service's name, or, without an owner graph, pods named `<service>-...`. A name is not a
 * selector: this finds the common layout and misses Services selecting pods of another name.
 *
 * Signals: readiness failures of those pods (probe-signals.ts). Effects: the endpoint controller's
 * updates of the Service's Endpoints and EndpointSlices (audit, apiserver), and the kube-proxy
 * syncs that follow each update within 2 s on every node (kube-proxy v1.32 logs no Service name at
 * its default verbosity; older ones say `has no endpoints`, which the Service's own lines catch).
 *
 * Threshold: a pod is unready from the first failure of a run (failures at most 2 min apart) of at
 * least failureThreshold (3) failures, or a run with a "not ready" transition, to the run's last
 * failure. The Service has no endpoints while every pod of it that exists (pod-lifetime.ts) is
 * unready; such stretches at most 2 min apart are one incident. One unready pod of three is a
 * probe-failure of that pod, not a Service without endpoints.
 */
import { addEvents, newCandidate } from '../candidate.js';
import { MINUTE, SECOND, groupBy, splitByGap } from '../group.js';
import { addPodStory, type PodSignal } from '../pod-incidents.js';
import { podAlive, podGoneAt } from '../pod-lifetime.js';
import type { EventRow, ObjectRow, StoreView } from '../../../store/incident-view.js';
import { describeRef, STORY_COMPONENTS } from '../../../store/incident-view.js';
import type { Candidate, Rule } from '../types.js';
import { probeSignals } from './probe-signals.js';
import { PROBE_FAILURES_MIN } from './probe-failure.js';
import { maxOf, minOf } from '../../../util/extent.js';

const GAP = 2 * MINUTE;
const PROXY_FOLLOWS = 2 * SECOND;
const CONTROLLERS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController']);

/** The names a pod goes by for Services: its controllers' names, else the prefixes of its own. */
function serviceNames(view: StoreView, pod: ObjectRow, memo: Map<number, string[]>): string[] {
  const hit = memo.get(pod.id);
  if (hit) return hit;
  const chain = view.ownerChain(pod.id);
  let names: string[];
  if (chain.length) {
    names = chain.filter((o) => CONTROLLERS.has(o.kind) && o.name).map((o) => o.name!);
  } else {
    // No owner known: `web-7d9f8b-x2x9q` may be behind `web` or `web-7d9f8b`.
    const parts = (pod.name ?? '').split('-');
    names = parts.slice(1).map((_, i) => parts.slice(0, i + 1).join('-'));
  }
  memo.set(pod.id, names);
  return names;
}

/** The pods behind a Service, by their controllers' names (see above). */
export function backingPods(view: StoreView, svc: ObjectRow, pods: readonly ObjectRow[], memo = new Map<number, string[]>()): ObjectRow[] {
  if (!svc.name) return [];
  return pods.filter((p) => p.namespace === svc.namespace && p.name && serviceNames(view, p, memo).includes(svc.name!));
}

/** The Services the pods with readiness trouble may be behind (few lookups, not every Service). */
function suspectServices(view: StoreView, failing: readonly ObjectRow[], memo: Map<number, string[]>): ObjectRow[] {
  const out = new Map<number, ObjectRow>();
  for (const p of failing) {
    for (const name of serviceNames(view, p, memo)) {
      for (const svc of view.objectsNamed('Service', p.namespace, name)) if (svc.namespace === p.namespace) out.set(svc.id, svc);
    }
  }
  return [...out.values()];
}

interface Unready {
  pod: ObjectRow;
  from: number;
  to: number;
  signals: PodSignal[];
}

/** Each pod's unready stretches (see the threshold above). */
function unreadyIntervals(signals: readonly PodSignal[]): Unready[] {
  const out: Unready[] = [];
  for (const list of groupBy(signals, (s) => String(s.object!.id)).values()) {
    for (const run of splitByGap(list, GAP, (s) => s.event.time)) {
      const kubelet = run.filter((s) => s.tag === 'readiness').length;
      const events = run.filter((s) => s.tag === 'event-readiness').reduce((n, s) => n + s.weight, 0);
      if (Math.max(kubelet, events) < PROBE_FAILURES_MIN && !run.some((s) => s.tag === 'not-ready')) continue;
      out.push({ pod: run[0]!.object!, from: run[0]!.event.time, to: run[run.length - 1]!.event.time, signals: run });
    }
  }
  return out;
}

/**
 * The stretches where every existing pod of the Service is unready, merged when at most GAP apart:
 * a sweep over the times where something changes (a pod unready or ready again, created, gone).
 */
function noEndpointWindows(view: StoreView, backing: readonly ObjectRow[], unready: readonly Unready[]): { from: number; to: number }[] {
  if (unready.length === 0) return [];
  const lo = minOf(unready.map((u) => u.from));
  const hi = maxOf(unready.map((u) => u.to));
  const points = new Set<number>([lo, hi]);
  for (const u of unready) {
    points.add(u.from);
    points.add(u.to);
  }
  for (const p of backing) {
    for (const t of [p.firstSeen ?? lo, podGoneAt(view, p)]) if (t > lo && t < hi) points.add(t);
  }
  const sorted = [...points].sort((a, b) => a - b);
  const windows: { from: number; to: number }[] = [];
  for (let i = 0; i + 1 < sorted.length; i++) {
    const a = sorted[i]!;
    const b = sorted[i + 1]!;
    const mid = (a + b) / 2;
    const live = backing.filter((p) => podAlive(view, p, mid));
    if (live.length === 0 || !live.every((p) => unready.some((u) => u.pod.id === p.id && u.from <= mid && mid <= u.to))) continue;
    const last = windows[windows.length - 1];
    if (last && a - last.to <= GAP) last.to = b;
    else windows.push({ from: a, to: b });
  }
  return windows;
}

/** Endpoints/EndpointSlice writes (not reads) of the Service, in a window. */
function endpointWrites(view: StoreView, svc: ObjectRow, from: number, to: number): EventRow[] {
  const objects = [
    ...view.objectsNamed('Endpoints', svc.namespace, svc.name!),
    ...view.objectsNamedAfter('EndpointSlice', svc.namespace, svc.name!, '-'),
  ];
  const writes: EventRow[] = [];
  for (const o of objects) {
    for (const e of view.eventsAbout(o.id, from, to, ['audit', 'kube-apiserver'])) {
      const verb = String(e.fields['verb'] ?? '').toLowerCase();
      if (['update', 'patch', 'create', 'put', 'post', 'delete'].includes(verb)) writes.push(e);
    }
  }
  return writes.sort((a, b) => a.time - b.time);
}

export const serviceNoEndpointsRule: Rule = {
  kind: 'service-no-endpoints',
  severity: 'error',
  describe: "every pod behind a Service (by its controller's name) failing readiness 3+ times in a run (<= 2 min gaps)",
  detect(view) {
    const readiness = probeSignals(view).filter((s) => s.object && (s.tag === 'readiness' || s.tag === 'event-readiness' || s.tag === 'not-ready'));
    if (readiness.length === 0) return [];
    const memo = new Map<number, string[]>();
    const failing = [...new Map(readiness.map((s) => [s.object!.id, s.object!])).values()];
    const pods = view.objectsOfKind('Pod');
    const out: Candidate[] = [];
    for (const svc of suspectServices(view, failing, memo)) {
      const backing = backingPods(view, svc, pods, memo);
      if (backing.length === 0) continue;
      const ids = new Set(backing.map((p) => p.id));
      const mine = readiness.filter((s) => ids.has(s.object!.id));
      if (mine.length === 0) continue;
      const unready = unreadyIntervals(mine);
      for (const window of noEndpointWindows(view, backing, unready)) {
        const { from, to } = window;
        const run = unready.filter((u) => u.from <= to && u.to >= from).flatMap((u) => u.signals);
        const live = backing.filter((p) => unready.some((u) => u.pod.id === p.id && u.from <= to && u.to >= from));
        const c = newCandidate('service-no-endpoints', 'error', svc, { kind: 'Service', namespace: svc.namespace, name: svc.name }, '');
        addEvents(c, run.map((s) => s.event), 'trigger');
        for (const p of live) c.affected.add(p.id);
        addPodStory(view, c, live);
        // The writes that took the endpoints away (the last one before the window is when the
        // last ready pod left) and those during it.
        const writes = endpointWrites(view, svc, from - GAP, to + 5 * SECOND);
        addEvents(c, writes, 'effect', false);
        const syncs = new Set<number>();
        for (const w of writes) {
          for (const e of view.signalled(['proxy-rules-synced'], w.time, w.time + PROXY_FOLLOWS)) syncs.add(e.id);
        }
        for (const id of syncs) c.evidence.set(id, c.evidence.get(id) ?? 'effect');
        addEvents(c, view.eventsAbout(svc.id, from - 5 * SECOND, to + 5 * SECOND, STORY_COMPONENTS), 'evidence', false);
        c.counts['pods'] = live.length;
        c.counts['readinessFailures'] = run.filter((s) => s.tag !== 'not-ready').reduce((n, s) => n + s.weight, 0);
        c.counts['endpointWrites'] = writes.length;
        c.counts['proxySyncs'] = syncs.size;
        c.causeChain.push(
          ...live.map((p) => ({
            kind: 'readiness-failing',
            objectUid: p.uid,
            object: describeRef(p),
            time: run.find((s) => s.object!.id === p.id)?.event.time ?? from,
            summary: `${describeRef(p)} fails its readiness probe`,
          })),
        );
        const output = [...run].reverse().find((s) => s.detail)?.detail;
        c.summary = `service ${svc.namespace}/${svc.name} has no ready endpoint: all ${live.length} pod${live.length > 1 ? 's' : ''} behind it fail readiness${output ? ` (${output})` : ''}`;
        out.push(c);
      }
    }
    return out;
  },
};
