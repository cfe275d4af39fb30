/**
 * pod-sandbox-requested on real containerd lines: the kind 1.32 bundle's containerd.log and
 * MicroK8s' containerd journal (../shared/corpus/microk8s-kubelite-journal), read through the real
 * parsers. containerd logs each request twice: as asked, and with ` returns sandbox id "..."`
 * once created; only the request is the signal (the order pods took their addresses in).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { corpus, corpusSkip } from '../../helpers/paths.js';
import { eventsOf, stating } from '../../helpers/signal-lines.js';

test('kind 1.32: nine requests, not their nine answers', { skip: corpusSkip() }, async () => {
  const events = await eventsOf([corpus('kind-1.32-bundle', 'kind-control-plane', 'containerd.log')]);
  // grep -c 'RunPodSandbox for &PodSandboxMetadata' containerd.log: 18; grep -c ' returns sandbox id' on those: 9
  const all = events.filter((e) => e.message.startsWith('RunPodSandbox for &PodSandboxMetadata{'));
  assert.equal(all.length, 18);
  const stated = stating(events, 'pod-sandbox-requested');
  assert.equal(stated.length, 9);
  assert.ok(stated.every((s) => !s.event.message.includes(' returns ')));
  // msg="RunPodSandbox for &PodSandboxMetadata{Name:kube-scheduler-kind-control-plane,Uid:e466f1f8e9429967fe50820f5857e823,Namespace:kube-system,Attempt:0,}"
  assert.deepEqual(stated[0]!.facts, { name: 'kube-scheduler-kind-control-plane', uid: 'e466f1f8e9429967fe50820f5857e823', namespace: 'kube-system', attempt: 0 });
  assert.equal(stated[0]!.event.host, 'kind-control-plane');
});

test('MicroK8s containerd 1.6: requests (retries counted by their attempt), not answers nor failures', { skip: corpusSkip() }, async () => {
  const events = await eventsOf([corpus('microk8s-kubelite-journal', 'snap.microk8s.daemon-containerd', 'journal.log')]);
  const all = events.filter((e) => e.message.startsWith('RunPodSandbox for &PodSandboxMetadata{'));
  const stated = stating(events, 'pod-sandbox-requested');
  // grep -c 'RunPodSandbox for &PodSandboxMetadata' journal.log: 58; the rest return a sandbox id or fail
  assert.equal(all.length, 58);
  assert.ok(stated.length > 0 && stated.length < all.length);
  assert.ok(stated.every((s) => /^RunPodSandbox for &PodSandboxMetadata\{[^}]*\}$/.test(s.event.message)));
  const failedOrAnswered = all.filter((e) => !stated.some((s) => s.event === e));
  assert.ok(failedOrAnswered.every((e) => / returns |failed/i.test(e.message) || /failed/i.test(String(e.fields['error'] ?? ''))));
});
