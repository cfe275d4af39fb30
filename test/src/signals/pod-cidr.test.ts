/**
 * pod-cidr on real lines: the kind 1.32 bundle's node IPAM controller and kubelet
 * (../shared/corpus/kind-1.32-bundle), read through the real parsers; the dual-stack form is
 * written to range_allocator.go's format.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { corpus, corpusSkip } from '../../helpers/paths.js';
import { eventsOf, factsOfLines, stating } from '../../helpers/signal-lines.js';

test('kind 1.32: the controller sets the node\'s range, the kubelet takes it; their other CIDR lines are no signal', { skip: corpusSkip() }, async () => {
  const events = await eventsOf([corpus('kind-1.32-bundle')]);
  const stated = stating(events, 'pod-cidr');
  // kube-controller-manager: range_allocator.go:428] "Set node PodCIDR" logger="node-ipam-controller" node="kind-control-plane" podCIDRs=["10.244.0.0/24"]
  // kubelet (kubelet.log and journal.log hold the same line): kubelet_network.go:61] "Updating Pod CIDR" originalPodCIDR="" newPodCIDR="10.244.0.0/24"
  assert.deepEqual(
    [...new Set(stated.map((s) => `${s.event.component} ${s.event.fields['node'] ?? s.event.host} ${JSON.stringify(s.facts)}`))],
    ['kube-controller-manager kind-control-plane {"cidr":"10.244.0.0/24","by":"controller"}', 'kubelet kind-control-plane {"cidr":"10.244.0.0/24","by":"kubelet"}'],
  );
  // Look-alikes: other lines that speak of CIDRs (the allocator starting, the proxy's cluster CIDR...).
  const cidrLines = events.filter((e) => /CIDR/i.test(e.message) || /CIDR/i.test(JSON.stringify(e.fields)));
  assert.ok(cidrLines.length > stated.length, `${cidrLines.length} lines speak of CIDRs`);
});

test('dual stack: the IPv4 range is the one addresses are counted in; a line without one states nothing', async () => {
  assert.deepEqual(
    await factsOfLines(
      [
        'I0321 14:51:31.299475       1 range_allocator.go:428] "Set node PodCIDR" logger="node-ipam-controller" node="kind-worker" podCIDRs=["fd00:10:244:1::/64","10.244.1.0/24"]',
        'I0321 14:51:32.299475       1 range_allocator.go:428] "Set node PodCIDR" logger="node-ipam-controller" node="kind-worker2" podCIDRs=["fd00:10:244:2::/64"]',
      ],
      'pod-cidr',
      'kube-controller-manager.log',
    ),
    [{ cidr: '10.244.1.0/24', by: 'controller' }],
  );
  assert.deepEqual(
    await factsOfLines(['I0321 14:51:31.303560     785 kubelet_network.go:61] "Updating Pod CIDR" originalPodCIDR="" newPodCIDR="fd00:10:244::/64,10.244.0.0/24"'], 'pod-cidr'),
    [{ cidr: '10.244.0.0/24', by: 'kubelet' }],
  );
});
