/**
 * webhook-failed on real apiserver lines: MicroK8s' kubelite calling Istio's validating webhook
 * while istiod is down (failing open at install, closed once after the reboot), and the OpenShift
 * must-gather's apiserver failing open on prometheusrules.openshift.io.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { corpus, corpusSkip } from '../../helpers/paths.js';
import { eventsOf, mustGatherPaths, stating, unpackMustGather } from '../../helpers/signal-lines.js';

test('MicroK8s: the webhook, the policy applied, the URL and the error; the repeated error lines are not counted', { skip: corpusSkip() }, async () => {
  const lines = stating(await eventsOf([corpus('microk8s-kubelite-journal')]), 'webhook-failed');
  // grep -c 'Failed calling webhook, failing' journal.log: 9 (8 open, 1 closed at 17:41:43)
  assert.deepEqual(lines.map((s) => s.facts['policy']), ['open', 'open', 'open', 'open', 'closed', 'open', 'open', 'open', 'open']);
  assert.deepEqual(lines[0]!.facts, {
    policy: 'open',
    webhook: 'rev.validation.istio.io',
    err: 'Post "https://istiod.istio-system.svc:443/validate?timeout=10s": dial tcp 10.152.183.215:443: connect: connection refused',
    url: 'https://istiod.istio-system.svc:443/validate?timeout=10s',
  });
  assert.match(String(lines[4]!.facts['err']), /context deadline exceeded$/);
});

test('must-gather: the apiserver failing open on an untrusted webhook certificate', { skip: corpusSkip() }, async () => {
  const entry = mustGatherPaths.kubelet.replace('host_service_logs/masters/kubelet_service.log', 'namespaces/openshift-kube-apiserver/pods/kube-apiserver-ip-10-0-187-218.ec2.internal/kube-apiserver/kube-apiserver/logs/current.log');
  const mg = unpackMustGather([entry]);
  try {
    const events = await eventsOf(mg.paths);
    const lines = stating(events, 'webhook-failed');
    assert.equal(lines.length, 1);
    assert.equal(lines[0]!.facts['webhook'], 'prometheusrules.openshift.io');
    assert.match(String(lines[0]!.facts['err']), /x509: certificate signed by unknown authority$/);
    // ... which is also a TLS failure (the warning and the error line that repeats it)
    const tls = stating(events, 'tls-failure');
    assert.equal(tls.length, 2);
    assert.ok(tls.every((s) => s.facts['problem'] === 'unknown-authority'));
  } finally {
    mg.dispose();
  }
});
