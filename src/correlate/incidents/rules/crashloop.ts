/**
 * crashloop: a container that keeps exiting and is restarted with a growing back-off. Root: the
 * pod (several replicas of one controller failing together: one incident, rooted at the first).
 *
 * Threshold: one crash followed by a healthy run is not a loop (a dependency not up yet at boot).
 * The kubelet doubles the back-off on each consecutive failure (10 s, 20 s, 40 s...), so a delay
 * of 20 s or more means at least two failures in a row; without the kubelet's own lines, three
 * back-off signals (Event counts included) or three non-zero exits stand for the same.
 */
import { podRule, podsLabel, triggersOf, type PodRun } from '../pod-incidents.js';
import { isOomRun, restartFacts, restartSignals, RESTART_GAP } from './container-restarts.js';

export function crashloopQualifies(run: PodRun): boolean {
  if (isOomRun(run)) return false;
  const f = restartFacts(run);
  return f.maxBackoff >= 20 || f.backoffs >= 3 || f.exits >= 3;
}

export const crashloopRule = podRule('crashloop', 'error', 'CrashLoopBackOff with a back-off of 20 s or more (two failures in a row), or 3 back-offs/exits; OOM deaths excluded', (view) => ({
  signals: restartSignals(view),
  gap: RESTART_GAP,
  qualifies: crashloopQualifies,
  summarize(runs) {
    const exits = runs[0]!.signals.filter((s) => s.tag === 'exit' || s.tag === 'exit137').map((s) => s.detail);
    const code = exits.length ? `, exit code ${exits[exits.length - 1]}` : '';
    return `${podsLabel(runs)} is crash-looping${code}`;
  },
  finish(c, signals) {
    const facts = triggersOf(c, signals);
    c.counts['exits'] = facts.filter((s) => s.tag === 'exit' || s.tag === 'exit137').length;
    c.counts['backoffs'] = facts.filter((s) => s.tag === 'backoff').reduce((n, s) => n + s.weight, 0);
  },
}));
