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
import { addEvents, rootLabel } from '../candidate.js';
import { MINUTE, SECOND } from '../group.js';
import { kubeEventsWithReason } from '../kube-events.js';
import { podIncidents, podSignal, weightOf, type PodSignal } from '../pod-incidents.js';
import { podRefOf } from '../pod-ref.js';
import type { Rule } from '../types.js';

/** The image back-off also doubles up to 5 min: a quiet 10 min ends the incident. */
const GAP = 10 * MINUTE;
const IMAGE = /[iI]mage \\?"([^"\\\s]{1,300})\\?"/;
const PULL_FAILED_CODES = ['ErrImagePull', 'InvalidImageName', 'ErrImageNeverPull', 'RegistryUnavailable'];

function imageIn(text: string): string | undefined {
  return IMAGE.exec(text)?.[1];
}

export const imagePullBackoffRule: Rule = {
  kind: 'image-pull-backoff',
  severity: 'error',
  describe: 'ImagePullBackOff reached, or 2 failed pulls, per pod; pull failures without a pod joined by node and image',
  detect(view) {
    const signals: PodSignal[] = [];
    for (const e of view.events(`e.component = 'kubelet' AND e.message LIKE 'Error syncing pod%'`)) {
      const err = typeof e.fields['err'] === 'string' ? (e.fields['err'] as string) : e.message;
      const backoff = err.includes('ImagePullBackOff');
      if (!backoff && !PULL_FAILED_CODES.some((c) => err.includes(c))) continue;
      const pod = podRefOf(e);
      if (pod) signals.push(podSignal(view, e, pod, 'trigger', backoff ? 'pull-backoff' : 'pull-failed', 1, imageIn(err)));
    }
    for (const k of kubeEventsWithReason(view, ['Failed', 'BackOff', 'ErrImageNeverPull', 'InspectFailed'])) {
      if (!k.involved || k.involved.kind !== 'Pod') continue;
      let tag: string | undefined;
      if (k.reason === 'BackOff') tag = k.text.startsWith('Back-off pulling image') ? 'pull-backoff' : undefined;
      else if (k.text === 'Error: ImagePullBackOff') tag = 'pull-backoff';
      else if (k.text.startsWith('Failed to pull image') || k.text === 'Error: ErrImagePull' || k.reason !== 'Failed') tag = 'pull-failed';
      if (tag) signals.push(podSignal(view, k.row, k.involved, 'trigger', tag, k.count, imageIn(k.text)));
    }
    signals.sort((a, b) => a.event.time - b.event.time);
    const candidates = podIncidents(view, signals, {
      kind: 'image-pull-backoff',
      severity: 'error',
      gap: GAP,
      qualifies: (run) => weightOf(run, 'pull-backoff') >= 1 || weightOf(run, 'pull-failed') >= 2,
      summarize(runs) {
        const image = runs[0]!.signals.map((s) => s.detail).find((d) => d);
        const more = runs.length > 1 ? ` (and ${runs.length - 1} more pod${runs.length > 2 ? 's' : ''})` : '';
        return `${rootLabel({ root: runs[0]!.object, rootRef: runs[0]!.pod })}${more} cannot pull image ${image ?? '(unknown)'}`;
      },
    });
    // The pull failures that name only an image: same node, same image, during the incident.
    const pulls = view.events(
      `(e.component = 'kubelet' AND e.message = 'PullImage from image service failed')
       OR (e.component = 'other' AND e.message LIKE 'PullImage %' AND e.message LIKE '% failed')`,
    );
    for (const c of candidates) {
      const mine = signals.filter((s) => c.evidence.get(s.event.id) === 'trigger');
      const images = new Set(mine.map((s) => s.detail).filter((d): d is string => d !== undefined));
      const hosts = new Set(mine.map((s) => s.event.host ?? s.event.fields['host']).filter((h): h is string => typeof h === 'string'));
      const matched = pulls.filter((p) => {
        const image = typeof p.fields['image'] === 'string' ? (p.fields['image'] as string) : imageIn(p.message);
        return image !== undefined && images.has(image) && p.host !== null && hosts.has(p.host) && p.time >= c.start - MINUTE && p.time <= c.end + 5 * SECOND;
      });
      addEvents(c, matched, 'trigger');
      c.counts['pullFailures'] = mine.filter((s) => s.tag === 'pull-failed').reduce((n, s) => n + s.weight, 0) + matched.length;
      c.counts['backoffs'] = mine.filter((s) => s.tag === 'pull-backoff').reduce((n, s) => n + s.weight, 0);
    }
    return candidates;
  },
};
