/**
 * Signals on the uncompressed real captures of ../shared/corpus, read through the real parsers:
 * an OpenShift kubelet journal with one crash loop, a kind cluster starting, a kind v1.24 failure
 * study (scheduler, Events), a CoreDNS query log, docker-compose control plane.
 */
import assert from 'node:assert/strict';
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
