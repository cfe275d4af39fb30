/**
 * image-pull-backoff: a pod whose image cannot be pulled, retried with a growing back-off. Root:
 * the pod. Signals: the kubelet's `"Error syncing pod, skipping" err="... with ErrImagePull: ..."`
 * / `... with ImagePullBackOff: \"Back-off pulling image ...`, the Events `Failed: Failed to pull
 * image`, `Failed: Error: ErrImagePull`, `Failed: Error: ImagePullBackOff`, `BackOff: Back-off
 * pulling image`; then the pull failures that name no pod (the kubelet's `PullImage from image
 * service failed` image=..., containerd's `PullImage "x" failed`) joined by node and image.
 *
 * Threshold: a single failed pull that the next attempt fixes is a registry hiccup; the kubelet
 * entering ImagePullBackOff, or two failed pulls, is the fault.
 */
import { addEvents } from '../candidate.js';
import { MINUTE, SECOND } from '../group.js';
import { asKubeEvent } from '../kube-events.js';
import { podRule, podSignalReader, podsLabel, triggersOf, weightOf, type PodSignal } from '../pod-incidents.js';
import { podRefOf } from '../pod-ref.js';
import type { SignalledEvent, StoreView } from '../../../store/incident-view.js';

/** The image back-off also doubles up to 5 min: a quiet 10 min ends the incident. */
const GAP = 10 * MINUTE;

/** The pull failures that name their pod, by the pod; the podless ones are joined later. */
function podPullSignals(view: StoreView, failures: readonly SignalledEvent[]): PodSignal[] {
  const signals: PodSignal[] = [];
  const podSignal = podSignalReader(view);
  for (const e of failures) {
    if (e.facts['podless'] === true) continue; // joined below, by node and image
    const tag = e.facts['backoff'] === true ? 'pull-backoff' : 'pull-failed';
    const image = typeof e.facts['image'] === 'string' ? e.facts['image'] : undefined;
    const k = e.facts['event'] === true ? asKubeEvent(view, e) : undefined;
    const pod = k ? (k.involved?.kind === 'Pod' ? k.involved : undefined) : podRefOf(e);
    if (pod) signals.push(podSignal(e, pod, 'trigger', tag, k?.count ?? 1, image));
  }
  return signals;
}

export const imagePullBackoffRule = podRule('image-pull-backoff', 'error', 'ImagePullBackOff reached, or 2 failed pulls, per pod; pull failures without a pod joined by node and image', (view) => {
  const failures = view.signalled(['image-pull-failed']);
  const pulls = failures.filter((e) => e.facts['podless'] === true);
  return {
    signals: podPullSignals(view, failures),
    gap: GAP,
    qualifies: (run) => weightOf(run, 'pull-backoff') >= 1 || weightOf(run, 'pull-failed') >= 2,
    summarize(runs) {
      const image = runs[0]!.signals.map((s) => s.detail).find((d) => d);
      return `${podsLabel(runs)} cannot pull image ${image ?? '(unknown)'}`;
    },
    // The pull failures that name only an image: same node, same image, during the incident.
    finish(c, signals) {
      const mine = triggersOf(c, signals);
      const images = new Set(mine.map((s) => s.detail).filter((d): d is string => d !== undefined));
      const hosts = new Set(mine.map((s) => s.host).filter((h): h is string => h !== undefined));
      const matched = pulls.filter((p) => {
        const image = p.facts['image'];
        return typeof image === 'string' && images.has(image) && p.host !== null && hosts.has(p.host) && p.time >= c.start - MINUTE && p.time <= c.end + 5 * SECOND;
      });
      addEvents(c, matched, 'trigger');
      c.counts['pullFailures'] = mine.filter((s) => s.tag === 'pull-failed').reduce((n, s) => n + s.weight, 0) + matched.length;
      c.counts['backoffs'] = mine.filter((s) => s.tag === 'pull-backoff').reduce((n, s) => n + s.weight, 0);
    },
  };
});
