/**
 * Signals on the uncompressed real captures of ../shared/corpus, read through the real parsers:
 * an OpenShift kubelet journal with one crash loop, a kind cluster starting, a kind v1.24 failure
 * study (scheduler, Events), a CoreDNS query log, docker-compose control plane.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { corpus, corpusSkip } from '../../helpers/paths.js';
import { eventsOf, stating } from '../../helpers/signal-lines.js';

test('OpenShift kubelet: container-died with its exit code, then back-off-restarting at 10 s and 20 s', { skip: corpusSkip() }, async () => {
  const events = await eventsOf([corpus('openshift-kubelet-journal')]);
  const died = stating(events, 'container-died');
  // kube-rbac-proxy-crio exits 1 at 08:07:19 (and again); the PLEG lines with exitCode=0 are not deaths.
  assert.ok(died.length >= 2);
  assert.ok(died.every((s) => s.facts['exitCode'] !== 0));
  assert.equal(died[0]!.facts['exitCode'], 1);
  const backoff = stating(events, 'back-off-restarting').map((s) => s.facts['backoffSeconds']);
  assert.deepEqual([...new Set(backoff)].sort(), [10, 20]);
  // "Error updating node status, will retry": a client of the apiserver failing.
  assert.ok(stating(events, 'control-plane-client-failure').some((s) => s.facts['what'] === 'node-status'));
});

test('kind bundle starting: no fault signal at all; the first election is election steps only', { skip: corpusSkip() }, async () => {
  const events = await eventsOf([corpus('kind-1.32-bundle')]);
  for (const name of ['probe-failed', 'back-off-restarting', 'container-died', 'oom-killed', 'image-pull-failed', 'failed-scheduling', 'pod-evicted', 'node-not-ready', 'etcd-leader-lost', 'apiserver-5xx', 'dns-upstream-error']) {
    assert.deepEqual(stating(events, name).map((s) => s.event.raw), [], name);
  }
  const steps = stating(events, 'etcd-election').map((s) => s.facts['step']);
  assert.ok(steps.includes('became-leader'));
});

test('failure study (kind v1.24): FailedScheduling Events with the reason, binds and kills', { skip: corpusSkip() }, async () => {
  const events = await eventsOf([corpus('failure-cases')]);
  const failed = stating(events, 'failed-scheduling');
  assert.ok(failed.length > 0);
  assert.ok(failed.some((s) => String(s.facts['reason']).startsWith('0/4 nodes are available:')));
  assert.ok(stating(events, 'pod-scheduled').length > 0);
  assert.ok(stating(events, 'container-killed').length > 0);
});

test('CoreDNS query log: NXDOMAIN answers with the name and the asking client', { skip: corpusSkip() }, async () => {
  const answers = stating(await eventsOf([corpus('coredns-querylog')]), 'dns-nxdomain');
  assert.equal(answers.length, 3);
  assert.deepEqual(answers[0]!.facts, { qname: 'rr1---sn-t0a7lnee.googlevideo.com.', client: '192.168.0.41' });
});

test('docker compose control plane: the controller-manager failing to get its lease', { skip: corpusSkip() }, async () => {
  const lease = stating(await eventsOf([corpus('compose-logs')]), 'control-plane-client-failure');
  assert.ok(lease.length > 0 && lease.every((s) => s.facts['what'] === 'lease'));
  assert.ok(lease.every((s) => s.event.component === 'kube-controller-manager'));
});

test('failure study: the descheduler\'s evictions say so; kubelets rejecting pods at admission (OutOfcpu)', { skip: corpusSkip() }, async () => {
  const events = await eventsOf([corpus('failure-cases')]);
  const evicted = stating(events, 'pod-evicted');
  // 18 RemoveDuplicates and 1 LowNodeUtilization Events: "pod evicted by sigs.k8s.io/descheduler"
  assert.equal(evicted.length, 19);
  assert.ok(evicted.every((s) => s.facts['by'] === 'descheduler'));
  assert.equal(evicted.filter((s) => s.facts['reason'] === 'RemoveDuplicates').length, 18);
  const rejected = stating(events, 'pod-rejected');
  // 133 OutOfcpu Events from the kubelets of kind-worker2 and kind-worker3
  assert.equal(rejected.length, 133);
  assert.equal(rejected[0]!.facts['reason'], 'OutOfcpu');
  assert.match(String(rejected[0]!.facts['text']), /^Node didn't have enough resource: cpu, requested: 5000, used: \d+, capacity: 8000$/);
  // The scheduler retrying a pod being deleted is marked, so that no summary quotes it as a reason.
  assert.ok(stating(events, 'failed-scheduling').some((s) => s.facts['deleting'] === true));
});

test('compose control plane: the apiserver and kube-proxy exiting with their command\'s error', { skip: corpusSkip() }, async () => {
  const failed = stating(await eventsOf([corpus('compose-logs')]), 'command-failed');
  assert.deepEqual(
    failed.map((s) => [s.event.component, s.facts['err']]),
    [
      ['kube-apiserver', 'failed to parse service-account-issuer-key-file: open /etc/kubernetes/pki/sa.key: no such file or directory'],
      ['kube-proxy', 'open /var/run/secrets/kubernetes.io/serviceaccount/token: no such file or directory'],
      ['kube-proxy', 'open /var/run/secrets/kubernetes.io/serviceaccount/token: no such file or directory'],
    ],
  );
});

test('minikube: the scheduler ending with "finished without leader elect" at a stop is no command failure', { skip: corpusSkip() }, async () => {
  const events = await eventsOf([corpus('minikube-logs')]);
  assert.ok(events.some((e) => e.message === 'command failed' && e.fields['err'] === 'finished without leader elect'));
  assert.deepEqual(stating(events, 'command-failed'), []);
});

test('kubelet 1.19: node registration forbidden, with the node and the error as stated', { skip: corpusSkip() }, async () => {
  const failed = stating(await eventsOf([corpus('raw-klog-1.19', 'kubelet.log')]), 'node-registration-failed');
  assert.equal(failed.length, 104); // grep -c 'Unable to register node' kubelet.log
  assert.deepEqual(failed[0]!.facts, {
    node: 'localhost',
    err: 'nodes is forbidden: User "kubelet-client" cannot create resource "nodes" in API group "" at the cluster scope',
  });
});

// The signals with no real line in the corpus (oom-killed, image-pull-failed, node-not-ready,
// apiserver-5xx, dns-upstream-error, dns-servfail): what the corpus holds that looks like them.

test('kind inspect.json: its one "OOMKilled" is the node container\'s state, false: set aside as no log, no oom-killed', { skip: corpusSkip() }, async () => {
  const inspect = readFileSync(corpus('kind-1.32-bundle', 'kind-control-plane', 'inspect.json'), 'utf8');
  assert.deepEqual(inspect.match(/"OOMKilled": \w+/g), ['"OOMKilled": false']);
  const events = await eventsOf([corpus('kind-1.32-bundle')]);
  assert.ok(!events.some((e) => e.source.file.endsWith('inspect.json')));
  assert.deepEqual(stating(events, 'oom-killed'), []);
});

test('minikube CoreDNS "[ERROR] plugin/kubernetes: Unhandled Error": CoreDNS errors, not its upstream failing, nor SERVFAIL', { skip: corpusSkip() }, async () => {
  const events = await eventsOf([corpus('minikube-logs')]);
  // grep -c '\[ERROR\] plugin/kubernetes: Unhandled Error' minikube_logs.txt: 10
  const errors = events.filter((e) => e.component === 'coredns' && e.severity === 'error' && e.fields['plugin'] === 'kubernetes');
  assert.equal(errors.length, 10);
  assert.deepEqual(stating(events, 'dns-upstream-error'), []);
  assert.deepEqual(stating(events, 'dns-servfail'), []);
});

test('MicroK8s: the kubelet\'s rejected Unhealthy Events quoting "statuscode: 500" are a probe\'s answer, not an apiserver 5xx', { skip: corpusSkip() }, async () => {
  const events = await eventsOf([corpus('microk8s-kubelite-journal')]);
  // grep -c 'statuscode: 500' journal.log: 3, all "Server rejected event" lines
  const quoting = events.filter((e) => e.raw.includes('statuscode: 500'));
  assert.equal(quoting.length, 3);
  assert.ok(quoting.every((e) => e.raw.includes('Server rejected event')));
  assert.deepEqual(stating(events, 'apiserver-5xx'), []);
});
