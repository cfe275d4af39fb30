/**
 * unschedulable: a pod no node can take. Root: the pod (replicas of one controller pending
 * together: one incident, rooted at the first). Signals: the scheduler's `"Unable to schedule
 * pod; no fit; waiting" err="0/3 nodes are available: ... Insufficient cpu"` (older releases:
 * `Unable to schedule ns/name: no fit: ...`) and the Event `FailedScheduling`; the pod being bound
 * (`"Successfully bound pod to node"`, Event `Scheduled`) ends it.
 *
 * Threshold: pods wait for a node all the time for a few seconds (a node still booting with its
 * not-ready taint, a rollout's surge). Pending for at least 60 s after the first failure (until
 * bound, or until the logs end) with at least two failed attempts is the fault.
 *
 * A pod that waited only for nodes to become ready (every attempt saw a node with the not-ready
 * taint, no node at all, or only control-plane nodes; or its own anti-affinity with the few
 * nodes there were) and was placed once one was is a cluster coming up, not a scheduling
 * fault: an OpenShift install's operators wait minutes so (the must-gather: 44 pods). It is kept
 * at info, the wait stated; a node that never becomes ready is node-not-ready's incident.
 */
import { rootLabel } from '../candidate.js';
import { MINUTE, SECOND } from '../group.js';
import { asKubeEvent } from '../kube-events.js';
import { podKey, podRule, podSignalReader, triggersOf, weightOf, type PodRun, type PodSignal, type PodSignalFn } from '../pod-incidents.js';
import { podRefOf, splitNsName } from '../pod-ref.js';
import type { SignalledEvent, StoreView } from '../../../store/incident-view.js';
import type { RootRef } from '../types.js';

/** The scheduler retries an unschedulable pod at least every 5 minutes. */
const GAP = 10 * MINUTE;
export const MIN_PENDING = 60 * SECOND;

/** A reason that says nodes are still coming up: one not ready, none at all, or only control-plane ones. */
const NODES_COMING_UP = /node\.kubernetes\.io\/not-ready|no nodes available to schedule pods|^0\/\d+ nodes are available: \d+ node\(s\) had (?:untolerated )?taint \{node-role\.kubernetes\.io\/(?:master|control-plane): \}(?:, that the pod didn't tolerate)?\.?$/;
/**
 * The clauses of a reason that more nodes would clear: taints of nodes not ready or not yet
 * workers, and the pod's own anti-affinity (its other replicas hold the nodes there are).
 */
const WAITING_CLAUSES = [
  /^0\/\d+ nodes are available: /,
  /no nodes available to schedule pods/,
  /\d+ node\(s\) had (?:untolerated )?taint \{node(?:\.kubernetes\.io\/(?:not-ready|unreachable)|-role\.kubernetes\.io\/(?:master|control-plane)): \}(?:, that the pod didn't tolerate)?/g,
  /\d+ node\(s\) didn't match pod (?:affinity\/anti-affinity|anti-affinity) rules/g,
];

function onlyWaiting(reason: string): boolean {
  let rest = reason;
  for (const c of WAITING_CLAUSES) rest = rest.replace(c, '');
  return /^[\s,.]*$/.test(rest);
}

/**
 * Every attempt failed only for want of nodes (see above), some attempt saw nodes still coming
 * up, and each pod was placed in the end: bound, or no longer retried long before the logs end
 * (the scheduler retries a pending pod at least every 5 minutes, so silence after that means it
 * was placed, or deleted).
 */
export function waitedForNodes(runs: readonly PodRun[], logsEnd: number): boolean {
  return runs.every((run) => {
    const failed = run.signals.filter((s) => s.tag === 'failed' && s.detail).map((s) => s.detail ?? '');
    const placed = run.signals.some((s) => s.tag === 'bound') || logsEnd - run.end > GAP;
    return placed && failed.some((r) => NODES_COMING_UP.test(r)) && failed.every(onlyWaiting);
  });
}

export function unschedulableQualifies(run: PodRun, logsEnd: number): boolean {
  const failures = run.signals.filter((s) => s.tag === 'failed');
  if (failures.length === 0 || weightOf(run, 'failed') < 2) return false;
  const first = failures[0]!.event.time;
  const bound = run.signals.find((s) => s.tag === 'bound' && s.event.time >= first);
  return (bound ? bound.event.time : logsEnd) - first >= MIN_PENDING;
}

/** The pod a failed attempt or a binding is about, as its line names it (undefined: no pod). */
function scheduledPod(view: StoreView, e: SignalledEvent): { pod: RootRef; count: number } | undefined {
  const k = e.facts['event'] === true ? asKubeEvent(view, e) : undefined;
  // The scheduler's older line names its pod only in the text: failed-scheduling's `pod` fact.
  const legacy = k || typeof e.facts['pod'] !== 'string' ? undefined : e.facts['pod'];
  const pod = k ? (k.involved?.kind === 'Pod' ? k.involved : undefined) : legacy ? { kind: 'Pod', ...splitNsName(legacy) } : podRefOf(e);
  return pod && { pod, count: k?.count ?? 1 };
}

/** A failed attempt or a binding read as a pod signal, its pod resolved to a stored object. */
function schedulingSignal(podSignal: PodSignalFn, e: SignalledEvent, { pod, count }: { pod: RootRef; count: number }): PodSignal {
  if (e.signal === 'pod-scheduled') return podSignal(e, pod, 'evidence', 'bound');
  // A retry of a pod being deleted is an attempt, but its text is no reason to quote.
  return podSignal(e, pod, 'trigger', 'failed', count, e.facts['deleting'] === true ? '' : String(e.facts['reason'] ?? ''));
}

/**
 * The UIDs and names of the pods that failed to schedule, as named and as resolved: a pod a line
 * names resolves (podSignalReader, StoreView.objectOf) to an object with the UID or the name it gives,
 * or to none, so a binding naming neither is not about any of them.
 */
class FailingPods {
  private readonly said = new Set<string>();
  readonly keys = new Set<string>();

  add(s: PodSignal): void {
    this.keys.add(podKey(s));
    for (const v of [s.pod.uid, s.pod.name, s.object?.uid, s.object?.name]) if (v) this.said.add(v);
  }

  /** Whether a line naming this pod may be about a failing pod (with neither UID nor name, any linked pod). */
  mayInclude(pod: RootRef): boolean {
    if (!pod.uid && !pod.name) return true;
    return (!!pod.uid && this.said.has(pod.uid)) || (!!pod.name && this.said.has(pod.name));
  }
}

/**
 * Failed attempts (triggers) and bindings (evidence that ends the wait), each about its pod, and
 * the ids of the bindings left out: those of pods that never failed to schedule. Their runs hold
 * only bindings, which no threshold passes, and every pod of a store is bound (625k of them on a
 * 5M-event store, ~0.7 GB as signals for a moment), so a first pass over the failures says which
 * pods to keep bindings for. The ids left out are kept for counts.bound, which counts any
 * binding among an incident's evidence (a pod's story can hold another pod's binding). A binding
 * whose line names no failing pod's UID or name is left out before its pod is resolved: that
 * was half the rule's time on a 1M-event store (125k pods bound, none failing).
 */
function schedulingSignals(view: StoreView): { signals: PodSignal[]; unkeptBindings: Set<number> } {
  const failing = new FailingPods();
  // One read's rows for both passes: the second resolves the same failing pods again.
  const podSignal = podSignalReader(view);
  for (const e of view.eachSignalled(['failed-scheduling'])) {
    const named = scheduledPod(view, e);
    if (named) failing.add(schedulingSignal(podSignal, e, named));
  }
  const signals: PodSignal[] = [];
  const unkeptBindings = new Set<number>();
  for (const e of view.eachSignalled(['failed-scheduling', 'pod-scheduled'])) {
    const named = scheduledPod(view, e);
    if (!named) continue;
    if (e.signal === 'pod-scheduled' && !failing.mayInclude(named.pod)) {
      unkeptBindings.add(e.id);
      continue;
    }
    const s = schedulingSignal(podSignal, e, named);
    if (s.tag === 'bound' && !failing.keys.has(podKey(s))) unkeptBindings.add(s.event.id);
    else signals.push(s);
  }
  return { signals, unkeptBindings };
}

export const unschedulableRule = podRule('unschedulable', 'error', 'pending >= 60 s after the first FailedScheduling / "Unable to schedule pod" with 2+ attempts, per pod', (view) => {
  const logsEnd = view.lastEventTime();
  const { signals, unkeptBindings } = schedulingSignals(view);
  return {
    signals,
    gap: GAP,
    qualifies: (run) => unschedulableQualifies(run, logsEnd),
    grade: (runs) => (waitedForNodes(runs, logsEnd) ? 'info' : 'error'),
    summarize(runs) {
      const why = [...runs[0]!.signals].reverse().find((s) => s.tag === 'failed' && s.detail)?.detail ?? '';
      const who = runs.length > 1 ? `${runs.length} pods (first ${rootLabel({ root: runs[0]!.object, rootRef: runs[0]!.pod })})` : rootLabel({ root: runs[0]!.object, rootRef: runs[0]!.pod });
      if (waitedForNodes(runs, logsEnd)) return `${who} waited for a ready node, then was placed: ${why}`;
      return `${who} cannot be scheduled${why ? `: ${why}` : ''}`;
    },
    finish(c, signals) {
      c.counts['attempts'] = triggersOf(c, signals).reduce((n, s) => n + s.weight, 0);
      let unkept = 0;
      for (const id of c.evidence.keys()) if (unkeptBindings.has(id)) unkept++;
      c.counts['bound'] = signals.filter((s) => s.tag === 'bound' && c.evidence.has(s.event.id)).length + unkept;
    },
  };
});
