/**
 * crashloop: a container that keeps exiting and is restarted with a growing back-off. Root: the
 * pod (several replicas of one controller failing together: one incident, rooted at the first).
 *
 * Threshold: one crash followed by a healthy run is not a loop (a dependency not up yet at boot).
 * The kubelet doubles the back-off on each consecutive failure (10 s, 20 s, 40 s...), so a delay
 * of 20 s or more means at least two failures in a row; without the kubelet's own lines, three
 * back-off signals (Event counts included) or three non-zero exits stand for the same.
 */
import { podIncidents, type PodRun } from '../pod-incidents.js';
import { rootLabel } from '../candidate.js';
import type { Rule } from '../types.js';
import { isOomRun, restartFacts, restartSignals, RESTART_GAP } from './container-restarts.js';

export function crashloopQualifies(run: PodRun): boolean {
  if (isOomRun(run)) return false;
  const f = restartFacts(run);
  return f.maxBackoff >= 20 || f.backoffs >= 3 || f.exits >= 3;
}

export const crashloopRule: Rule = {
  kind: 'crashloop',
  severity: 'error',
  describe: 'CrashLoopBackOff with a back-off of 20 s or more (two failures in a row), or 3 back-offs/exits; OOM deaths excluded',
  detect(view) {
    const candidates = podIncidents(view, restartSignals(view), {
      kind: 'crashloop',
      severity: 'error',
      gap: RESTART_GAP,
      qualifies: crashloopQualifies,
      summarize(runs) {
        const exits = runs[0]!.signals.filter((s) => s.tag === 'exit' || s.tag === 'exit137').map((s) => s.detail);
        const code = exits.length ? `, exit code ${exits[exits.length - 1]}` : '';
        const more = runs.length > 1 ? ` (and ${runs.length - 1} more pod${runs.length > 2 ? 's' : ''})` : '';
        return `${rootLabel({ root: runs[0]!.object, rootRef: runs[0]!.pod })}${more} is crash-looping${code}`;
      },
    });
    for (const c of candidates) {
      const facts = restartSignals(view).filter((s) => c.evidence.get(s.event.id) === 'trigger');
      c.counts['exits'] = facts.filter((s) => s.tag === 'exit' || s.tag === 'exit137').length;
      c.counts['backoffs'] = facts.filter((s) => s.tag === 'backoff').reduce((n, s) => n + s.weight, 0);
    }
    return candidates;
  },
};
