/**
 * failed-scheduling: the scheduler could not place a pod. Its line (`"Unable to schedule pod;
 * no fit; waiting" pod="ns/name" err="0/3 nodes are available: ..."`, older `Unable to schedule
 * ns/name: no fit: ...`) or the Event `FailedScheduling: 0/3 nodes are available: ...`.
 * Facts: `reason` (why no node fits, as the line says it).
 */
import { EVENT_COMPONENTS, kubeEventOf } from './kube-event.js';
import { str, type Facts, type Signal } from './types.js';

/** The older text form, which names the pod in the message. */
export const LEGACY_UNSCHEDULABLE = /^Unable to schedule ([a-z0-9][-a-z0-9]{0,62})\/([a-z0-9][-a-z0-9.]{0,252}): no fit: (.*?); waiting$/s;

export const failedScheduling: Signal = {
  name: 'failed-scheduling',
  components: [...EVENT_COMPONENTS],
  describe: 'the scheduler found no node for a pod (Unable to schedule line or FailedScheduling Event)',
  match(e): Facts | undefined {
    if (e.component === 'kube-scheduler' && e.message.startsWith('Unable to schedule')) {
      const legacy = LEGACY_UNSCHEDULABLE.exec(e.message);
      return { reason: legacy ? legacy[3]! : (str(e.fields['err']) ?? '') };
    }
    const k = kubeEventOf(e);
    return k?.reason === 'FailedScheduling' ? { reason: k.text, event: true } : undefined;
  },
};
