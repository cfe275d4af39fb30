/**
 * pod-cidr: the range a node's pods take their addresses from. The node IPAM controller's
 * `"Set node PodCIDR" node="kind-worker" podCIDRs=["10.244.1.0/24"]` and the kubelet's own
 * `"Updating Pod CIDR" originalPodCIDR="" newPodCIDR="10.244.0.0/24"` (about its host). kind's
 * CNI hands addresses out in order from it, which lets src/correlate/incidents/pod-ips.ts tell
 * which pod held an IP. Facts: `cidr` (the IPv4 range; a dual-stack line's IPv6 one is left
 * out), `by` (`controller`, whose line names the node, or `kubelet`, whose host is the node).
 */
import type { Facts, Signal } from './types.js';

function ipv4(list: readonly unknown[]): string | undefined {
  return list.find((c): c is string => typeof c === 'string' && c.includes('.'));
}

export const podCidr: Signal = {
  name: 'pod-cidr',
  context: true,
  components: ['kube-controller-manager', 'kubelet'],
  describe: "a node's pod CIDR: the IPAM controller's Set node PodCIDR, the kubelet's Updating Pod CIDR",
  match(e): Facts | undefined {
    if (e.component === 'kube-controller-manager' && e.message === 'Set node PodCIDR') {
      const cidrs = e.fields['podCIDRs'];
      const cidr = Array.isArray(cidrs) ? ipv4(cidrs) : undefined;
      return cidr ? { cidr, by: 'controller' } : undefined;
    }
    if (e.component === 'kubelet' && e.message === 'Updating Pod CIDR') {
      const v = e.fields['newPodCIDR'];
      const cidr = typeof v === 'string' ? ipv4(v.split(',')) : undefined;
      return cidr ? { cidr, by: 'kubelet' } : undefined;
    }
    return undefined;
  },
};
