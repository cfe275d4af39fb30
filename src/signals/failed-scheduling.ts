/**
 * failed-scheduling: the scheduler could not place a pod. Its line (`"Unable to schedule pod;
 * no fit; waiting" pod="ns/name" err="0/3 nodes are available: ..."`, older `Unable to schedule
 * ns/name: no fit: ...`) or the Event `FailedScheduling: 0/3 nodes are available: ...`.
 * The scheduler also records FailedScheduling `skip schedule deleting pod: ns/name` when it
 * tries again a pod that is being deleted: an attempt, but one that says nothing about fitting
 * (`deleting` is set, so that a summary does not quote it as the reason).
 * Facts: `reason` (why no node fits, as the line says it), `deleting`; `pod` ("ns/name") from the
 * older text form, which names the pod only in its message (the newer line has a `pod` field).
 */
import { EVENT_COMPONENTS, kubeEventOf } from './kube-event.js';
import { str, type Facts, type Signal } from './types.js';

/** The older text form, which names the pod in the message. */
const LEGACY_UNSCHEDULABLE = /^Unable to schedule ([a-z0-9][-a-z0-9]{0,62})\/([a-z0-9][-a-z0-9.]{0,252}): no fit: (.*?); waiting$/s;

export const failedScheduling: Signal = {
  name: 'failed-scheduling',
  components: [...EVENT_COMPONENTS],
  describe: 'the scheduler found no node for a pod (Unable to schedule line or FailedScheduling Event)',
  match(e): Facts | undefined {
    if (e.component === 'kube-scheduler' && e.message.startsWith('Unable to schedule')) {
      const legacy = LEGACY_UNSCHEDULABLE.exec(e.message);
      return legacy ? { reason: legacy[3]!, pod: `${legacy[1]!}/${legacy[2]!}` } : { reason: str(e.fields['err']) ?? '' };
    }
    const k = kubeEventOf(e);
    if (k?.reason !== 'FailedScheduling') return undefined;
    return k.text.startsWith('skip schedule deleting pod') ? { reason: k.text, event: true, deleting: true } : { reason: k.text, event: true };
  },
};
