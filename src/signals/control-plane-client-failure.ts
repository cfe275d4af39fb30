/**
 * control-plane-client-failure: a client of the apiserver fails because the apiserver cannot
 * answer: the controller-manager's and scheduler's lease (`error retrieving resource lock`,
 * `failed to renew lease`, `leaderelection lost`), the kubelet's (`Failed to update lease`,
 * `Error updating node status`), and list/watch calls answered with etcd's errors (`failed to list
 * *v1.Pod: etcdserver: leader changed`). Warning or above only. Facts: `what` (lease, node-status,
 * etcd-error).
 */
import type { Facts, Signal } from './types.js';

const CLIENTS = ['kube-controller-manager', 'kube-scheduler', 'kubelet', 'kube-proxy'];
const LEASE = /^(?:error retrieving resource lock|failed to renew lease)|leaderelection lost/;

export const controlPlaneClientFailure: Signal = {
  name: 'control-plane-client-failure',
  components: CLIENTS,
  describe: "an apiserver client's lease, node status or list call failing (warning or above)",
  match(e): Facts | undefined {
    if (e.severity < 2) return undefined;
    const leader = e.component === 'kube-controller-manager' || e.component === 'kube-scheduler';
    if (leader && LEASE.test(e.message)) return { what: 'lease' };
    if (e.component === 'kubelet' && e.message === 'Failed to update lease') return { what: 'lease' };
    if (e.component === 'kubelet' && e.message.startsWith('Error updating node status')) return { what: 'node-status' };
    if (!CLIENTS.includes(e.component)) return undefined;
    return e.message.includes('etcdserver:') || JSON.stringify(e.fields).includes('etcdserver:') ? { what: 'etcd-error' } : undefined;
  },
};
