/**
 * oom-kill: a container killed by the kernel's OOM killer: exit code 137 (SIGKILL) that the
 * kubelet did not cause, or a line saying OOMKilled. Root: the pod.
 *
 * Threshold: one OOM kill is already a fault (the container lost its work), so one suffices. A
 * pod whose deaths are mostly OOM kills is reported here and not as a crash loop, since the
 * cause to fix is memory, not the program.
 */
import { podKey, podRule, podsLabel, triggersOf, type PodSignal } from '../pod-incidents.js';
import { isOomRun, restartFacts, restartSignals, RESTART_GAP } from './container-restarts.js';

/**
 * The signals of the pods with an OOM kill or an exit 137 among them, in their order: a run
 * qualifies only with one of those (isOomRun), and a pod's runs are made of its own signals
 * alone, so the other pods' runs need not be built (625k crash-looping pods on a 5M-event store,
 * every one of them grouped a second time for no incident).
 */
export function oomCandidateSignals(signals: readonly PodSignal[]): PodSignal[] {
  const pods = new Set<string>();
  for (const s of signals) if (s.tag === 'oom' || s.tag === 'exit137') pods.add(podKey(s));
  return pods.size === 0 ? [] : signals.filter((s) => pods.has(podKey(s)));
}

export const oomKillRule = podRule('oom-kill', 'error', 'exit code 137 not preceded by a kubelet kill, or OOMKilled: one is enough; pods whose deaths are mostly OOM', (view) => ({
  signals: oomCandidateSignals(restartSignals(view)),
  gap: RESTART_GAP,
  qualifies: isOomRun,
  summarize(runs) {
    const f = restartFacts(runs[0]!);
    return `${podsLabel(runs)}: container OOM-killed ${f.oomKills} time${f.oomKills > 1 ? 's' : ''}`;
  },
  finish: (c, signals) => void (c.counts['oomKills'] = triggersOf(c, signals).filter((s) => s.tag === 'exit137').length),
}));
