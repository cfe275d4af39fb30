/**
 * volume-mount-failure: a pod whose volume the kubelet cannot mount or attach (`MountVolume.SetUp
 * failed for volume "serving-cert" ... : secret "cluster-version-operator-serving-cert" not
 * found`, FailedMount and FailedAttachVolume Events): the pod cannot start. Root: the pod.
 *
 * Threshold: failures for 3 minutes or more. The kubelet's give-up (`Unable to attach or mount
 * volumes ... timed out waiting for the condition`) comes 2 minutes after the pod's first try and
 * is not enough alone: a secret or config map that another controller creates a minute later (an
 * OpenShift install: the service CA writes serving certificates after the pods that mount them
 * exist; the must-gather has four such give-ups, each followed by the mount succeeding) is retried
 * with a back-off and mounts: that is start-up order, not this. A volume that never mounts goes on
 * failing, and giving up every 2 minutes, past the threshold.
 */
import { describeRef, type SignalledEvent, type StoreView } from '../../../store/incident-view.js';
import { MINUTE } from '../group.js';
import { asKubeEvent } from '../kube-events.js';
import type { RootRef } from '../types.js';
import { factValues, signalRunRule, spanOf, spanText } from './signal-runs.js';

const MIN_SPAN = 3 * MINUTE;

function podOf(e: SignalledEvent, view: StoreView): RootRef | undefined {
  if (e.facts['event'] === true) {
    const involved = asKubeEvent(view, e)?.involved;
    return involved?.kind === 'Pod' ? involved : undefined;
  }
  const name = e.facts['podName'];
  const uid = e.facts['podUid'];
  if (typeof uid === 'string') return { kind: 'Pod', uid, name: typeof name === 'string' ? name : null };
  return typeof name === 'string' ? { kind: 'Pod', name } : undefined;
}

export const volumeMountFailureRule = signalRunRule('volume-mount-failure', 'error', "a pod's volumes failing to mount or attach for 3 min or more", {
  signals: ['volume-mount-failed'],
  key: (e, v) => {
    const pod = podOf(e, v);
    return pod ? (pod.uid ?? `${pod.namespace ?? ''}/${pod.name ?? ''}`) : undefined;
  },
  gap: 5 * MINUTE,
  qualifies: (run) => spanOf(run) >= MIN_SPAN,
  root: (run, v) => podOf(run[0]!, v)!,
  finish: (c, run) => {
    c.counts['failures'] = run.length;
    c.notes['volumes'] = factValues(run, 'volume');
  },
  summarize: (run, c) => {
    const volumes = (c.notes['volumes'] as string[]).map((v) => `"${v}"`).join(', ');
    const gaveUp = run.some((e) => e.facts['gaveUp'] === true) ? '; the kubelet gave up waiting for them (the pod could not start)' : '';
    const label = describeRef(c.rootRef);
    return `${label}: volume ${volumes} could not be mounted for ${spanText(spanOf(run))} (${run.length} failures): ${factValues(run, 'err').slice(-2).join('; ')}${gaveUp}`;
  },
});
