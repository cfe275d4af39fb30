/**
 * pod-rejected: a kubelet refuses to run a pod the scheduler bound to it, because the node
 * cannot admit it: the Events `OutOfcpu: Node didn't have enough resource: cpu, requested: 5000,
 * used: 6700, capacity: 8000` (OutOfmemory, OutOfpods, OutOfephemeral-storage...) and
 * `UnexpectedAdmissionError`. The pod fails at once; its ReplicaSet makes another.
 * Facts: `reason`, `text` as stated.
 */
import { kubeEventOf } from './kube-event.js';
import type { Facts, Signal } from './types.js';

const ADMISSION = /^(?:OutOf[a-z-]+|UnexpectedAdmissionError)$/;

export const podRejected: Signal = {
  name: 'pod-rejected',
  components: ['event', 'kubelet'],
  describe: "a kubelet rejects a bound pod at admission (OutOfcpu, OutOfmemory... Events)",
  match(e): Facts | undefined {
    const k = kubeEventOf(e);
    return k && ADMISSION.test(k.reason) ? { reason: k.reason, text: k.text, event: true } : undefined;
  },
};
