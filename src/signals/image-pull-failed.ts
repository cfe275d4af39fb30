/**
 * image-pull-failed: a container's image could not be pulled. The kubelet's sync error
 * (`err="failed to \"StartContainer\" ... with ErrImagePull: ..."` or `... ImagePullBackOff:
 * \"Back-off pulling image \\\"nginx:1.27.99\\\"\"`), the Events (`Failed: Failed to pull image
 * "x": ...`, `Failed: Error: ErrImagePull`, `BackOff: Back-off pulling image "x"`,
 * ErrImageNeverPull, InspectFailed), and the lines that name only the image, not the pod (the
 * kubelet's `"PullImage from image service failed"`, containerd's `PullImage "x" failed`).
 * Facts: `image` when the line names it, `backoff` (the kubelet has stopped retrying for now),
 * `podless` (the line names no pod: joined to one by node and image).
 */
import { EVENT_COMPONENTS, kubeEventOf } from './kube-event.js';
import { str, type Facts, type Signal } from './types.js';

const IMAGE = /[iI]mage \\?"([^"\\\s]{1,300})\\?"/;
const PULL_FAILED_CODES = ['ErrImagePull', 'InvalidImageName', 'ErrImageNeverPull', 'RegistryUnavailable'];

/** The image a pull error names (`image "x"`, `Image \"x\"`). */
export function imageIn(text: string): string | undefined {
  return IMAGE.exec(text)?.[1];
}

function facts(backoff: boolean, image: string | undefined, extra: Facts = {}): Facts {
  return image ? { backoff, image, ...extra } : { backoff, ...extra };
}

export const imagePullFailed: Signal = {
  name: 'image-pull-failed',
  components: [...EVENT_COMPONENTS, 'other'],
  describe: 'an image pull failed or is backed off (kubelet sync error, pull Events, kubelet/containerd PullImage failures)',
  match(e): Facts | undefined {
    if (e.component === 'kubelet' && e.message.startsWith('Error syncing pod')) {
      const err = str(e.fields['err']) ?? e.message;
      const backoff = err.includes('ImagePullBackOff');
      if (!backoff && !PULL_FAILED_CODES.some((c) => err.includes(c))) return undefined;
      return facts(backoff, imageIn(err));
    }
    if (e.component === 'kubelet' && e.message === 'PullImage from image service failed') {
      return facts(false, str(e.fields['image']) ?? imageIn(e.message), { podless: true });
    }
    if (e.component === 'other') {
      return e.message.startsWith('PullImage ') && e.message.endsWith(' failed') ? facts(false, str(e.fields['image']) ?? imageIn(e.message), { podless: true }) : undefined;
    }
    const k = kubeEventOf(e);
    if (!k) return undefined;
    if (k.reason === 'BackOff') return k.text.startsWith('Back-off pulling image') ? facts(true, imageIn(k.text), { event: true }) : undefined;
    if (!['Failed', 'ErrImageNeverPull', 'InspectFailed'].includes(k.reason)) return undefined;
    if (k.text === 'Error: ImagePullBackOff') return facts(true, undefined, { event: true });
    if (k.text.startsWith('Failed to pull image') || k.text === 'Error: ErrImagePull' || k.reason !== 'Failed') return facts(false, imageIn(k.text), { event: true });
    return undefined;
  },
};
