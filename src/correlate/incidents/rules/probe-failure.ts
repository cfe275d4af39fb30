/**
 * probe-failure: a pod's readiness or liveness probe keeps failing. Root: the pod. Startup probes
 * are not counted: failing them while an application boots is what they are for.
 *
 * Threshold: the kubelet acts after failureThreshold consecutive failures (3 by default): three
 * failures, with no more than 2 minutes between them (periods are seconds), is the fault. The
 * kubelet's lines and the Events repeat each other, so the larger of the two counts is used.
 */
import { rootLabel } from '../candidate.js';
import { MINUTE } from '../group.js';
import { podRule, triggersOf, weightOf, type PodRun } from '../pod-incidents.js';
import { probeSignals } from './probe-signals.js';

const GAP = 2 * MINUTE;
export const PROBE_FAILURES_MIN = 3;

export function probeFailures(run: PodRun): number {
  const kubelet = weightOf(run, 'readiness') + weightOf(run, 'liveness');
  const events = weightOf(run, 'event-readiness') + weightOf(run, 'event-liveness');
  return Math.max(kubelet, events);
}

export const probeFailureRule = podRule('probe-failure', 'warn', '3+ readiness/liveness probe failures of one pod, at most 2 min apart (startup probes excluded)', (view) => ({
  signals: probeSignals(view),
  gap: GAP,
  qualifies: (run) => probeFailures(run) >= PROBE_FAILURES_MIN,
  summarize(runs) {
    const run = runs[0]!;
    const type = weightOf(run, 'liveness') + weightOf(run, 'event-liveness') > 0 ? 'liveness' : 'readiness';
    const output = [...run.signals].reverse().find((s) => s.detail)?.detail ?? '';
    return `${rootLabel({ root: run.object, rootRef: run.pod })}: ${probeFailures(run)} ${type} probe failures${output ? ` (${output})` : ''}`;
  },
  finish: (c, signals) => void (c.counts['failures'] = triggersOf(c, signals).filter((s) => !s.tag.startsWith('event-') && s.tag !== 'not-ready').length),
}));
