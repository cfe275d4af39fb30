/**
 * node-going-down on real journald lines: the kind 1.32 bundle's node journal, where systemd stops
 * the kubelet during kubeadm's set-up (../shared/corpus/kind-1.32-bundle/kind-control-plane/
 * journal.log). The signal is broad by design (every systemd line about kubelet.service): the rule
 * that reads it, node-not-ready, only looks in the minutes before a node went NotReady.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { corpus, corpusSkip } from '../../helpers/paths.js';
import { eventsOf, factsOfLines, stating } from '../../helpers/signal-lines.js';

test('kind 1.32 journal: systemd acting on kubelet.service; containerd starting, components shutting their controllers down are not it', { skip: corpusSkip() }, async () => {
  const events = await eventsOf([corpus('kind-1.32-bundle', 'kind-control-plane', 'journal.log')]);
  const stated = stating(events, 'node-going-down');
  // grep -c 'kubelet.service' journal.log: 8 (Starting, Started, Stopping, Stopped, Deactivated...)
  assert.equal(stated.length, 8);
  assert.ok(stated.every((s) => s.event.component === 'other' && s.event.message.includes('kubelet.service')));
  assert.ok(stated.some((s) => s.event.message.startsWith('Stopping kubelet.service')));
  assert.ok(events.some((e) => e.component === 'other' && /containerd\.service/.test(e.message)));
  // minikube: the apiserver's and the scheduler's "Shutting down <controller>" as they stop, and
  // CoreDNS's "SIGTERM: Shutting down servers then terminating": components, not the node.
  const others = await eventsOf([corpus('minikube-logs'), corpus('coredns-querylog')]);
  const shutdowns = others.filter((e) => /Shutting down/.test(e.message));
  assert.deepEqual([...new Set(shutdowns.map((e) => e.component))].sort(), ['coredns', 'kube-apiserver', 'kube-scheduler']);
  assert.deepEqual(stating(others, 'node-going-down'), []);
});

test('a node powering off, out of memory, a kernel panic', async () => {
  assert.deepEqual(
    (await factsOfLines(
      [
        'Aug 30 04:30:00 kind-worker systemd-logind[120]: System is powering off.',
        'Aug 30 04:30:01 kind-worker kernel: Out of memory: Killed process 1234 (java) total-vm:123456kB',
        'Aug 30 04:30:02 kind-worker kernel: Kernel panic - not syncing: Fatal exception',
        'Aug 30 04:30:03 kind-worker systemd[1]: Started containerd.service - containerd container runtime.',
      ],
      'node-going-down',
      'journal.log',
    )).length,
    3,
  );
});
