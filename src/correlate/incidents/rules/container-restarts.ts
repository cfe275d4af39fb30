/**
 * Containers that die and are restarted, read once for the two rules that tell them apart:
 * crashloop (the process exits on its own) and oom-kill (the kernel kills it for memory).
 *
 * Signals per pod: the kubelet's `"Error syncing pod, skipping" err="failed to \"StartContainer\"
 * ... with CrashLoopBackOff: \"back-off 20s restarting failed container=..."`, the Event
 * `BackOff: Back-off restarting failed container`, the PLEG's `"Generic (PLEG): container finished"
 * exitCode=N`, and any kubelet line saying OOMKilled. Exit code 137 is SIGKILL: the OOM killer,
 * unless the kubelet itself killed the container just before (a failed liveness probe, a
 * deletion: `"Killing container with a grace period"`, Event `Killing`), so those are set apart.
 */
import { asKubeEvent } from '../kube-events.js';
import { MINUTE, SECOND } from '../group.js';
import { podSignalReader, weightOf, type PodRun, type PodSignal } from '../pod-incidents.js';
import { podRefOf } from '../pod-ref.js';
import type { StoreView } from '../../../store/incident-view.js';

/** A restart back-off starts at 10 s and doubles; 5 min is its ceiling: a quiet 10 min ends it. */
export const RESTART_GAP = 10 * MINUTE;
/** How long before an exit a kubelet kill still explains a 137. */
const KILL_EXPLAINS = 60 * SECOND;

/** The back-off delay a CrashLoopBackOff error names: the signal's own reading, kept here for the rule's tests. */
export { backoffSeconds } from '../../../signals/back-off-restarting.js';

/** The rules that read restartSignals: crashloop and oom-kill. */
const READERS = 2;

/** Per view, the signals and how many readers have taken them. */
const cache = new WeakMap<StoreView, { signals: PodSignal[]; taken: number }>();

/**
 * The signals, read once for both rules: the last of them takes them out of the cache, so they
 * are not held through the other rules to the end of detection (625k on a 5M-event store). A
 * third read (a rule run again) reads them anew.
 */
export function restartSignals(view: StoreView): PodSignal[] {
  const hit = cache.get(view);
  if (hit) {
    if (++hit.taken >= READERS) cache.delete(view);
    return hit.signals;
  }
  const out: PodSignal[] = [];
  const podSignal = podSignalReader(view);
  for (const e of view.eachSignalled(['back-off-restarting', 'container-died', 'container-killed', 'oom-killed'])) {
    // An Event stands for `count` occurrences of what it says; a kubelet line for one.
    const k = e.facts['event'] === true ? asKubeEvent(view, e) : undefined;
    const pod = k ? (k.involved?.kind === 'Pod' ? k.involved : undefined) : e.component === 'kubelet' ? podRefOf(e) : undefined;
    if (!pod) continue;
    const count = k?.count ?? 1;
    if (e.signal === 'back-off-restarting') out.push(podSignal(e, pod, 'trigger', 'backoff', count, String(e.facts['backoffSeconds'] ?? 0)));
    else if (e.signal === 'container-killed') out.push(podSignal(e, pod, 'evidence', 'killed'));
    else if (e.signal === 'oom-killed') out.push(podSignal(e, pod, 'trigger', 'oom', count));
    else {
      const code = Number(e.facts['exitCode']);
      out.push(podSignal(e, pod, 'trigger', code === 137 ? 'exit137' : 'exit', 1, String(code)));
    }
  }
  cache.set(view, { signals: out, taken: 1 });
  return out;
}

export interface RestartFacts {
  /** Exits the kernel's OOM killer explains (137 with no kubelet kill before it, or OOMKilled). */
  oomKills: number;
  /** Every non-zero exit. */
  exits: number;
  /** Back-off signals, aggregated Events counted by their count. */
  backoffs: number;
  /** The longest back-off delay named (seconds): 20 s means at least two failures in a row. */
  maxBackoff: number;
}

export function restartFacts(run: PodRun): RestartFacts {
  let oomKills = weightOf(run, 'oom');
  let exits = 0;
  let maxBackoff = 0;
  const kills = run.signals.filter((s) => s.tag === 'killed').map((s) => s.event.time);
  for (const s of run.signals) {
    if (s.tag === 'exit' || s.tag === 'exit137') exits++;
    if (s.tag === 'exit137' && !kills.some((t) => t <= s.event.time && s.event.time - t <= KILL_EXPLAINS)) oomKills++;
    if (s.tag === 'backoff') maxBackoff = Math.max(maxBackoff, Number(s.detail ?? 0));
  }
  return { oomKills, exits: Math.max(exits, oomKills), backoffs: weightOf(run, 'backoff'), maxBackoff };
}

/** The run is an OOM story when the OOM killer explains at least half of the deaths. */
export function isOomRun(run: PodRun): boolean {
  const f = restartFacts(run);
  return f.oomKills > 0 && f.oomKills * 2 >= f.exits;
}
