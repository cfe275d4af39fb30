import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectIncidents } from '../../../../../src/correlate/incidents/index.js';
import { imagePullBackoffRule } from '../../../../../src/correlate/incidents/rules/image-pull-backoff.js';
import { at, detectOnly, evidence, Fixture, incidents, kubeEvent, kubeletErrorSyncing } from '../fixture.js';

const NOT_FOUND = 'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:1.27.99": not found';

test('a pod reaching ImagePullBackOff is an incident; pull failures naming only the image join it by node and image', () => {
  const f = new Fixture();
  const pod = f.pod('default', 'web-1');
  const containerd = f.ev({ t: 0, component: 'other', host: 'node-1', severity: 'error', message: 'PullImage "nginx:1.27.99" failed', fields: { error: NOT_FOUND } });
  const pull = f.ev({ t: 0.001, component: 'kubelet', host: 'node-1', severity: 'error', message: 'PullImage from image service failed', fields: { err: NOT_FOUND, image: 'nginx:1.27.99' } });
  const failed = kubeEvent(f, 0.002, pod, 'Failed', `Failed to pull image "nginx:1.27.99": ${NOT_FOUND}`);
  const errPull = kubeEvent(f, 0.003, pod, 'Failed', 'Error: ErrImagePull');
  const sync1 = kubeletErrorSyncing(f, 0.004, pod, `failed to "StartContainer" for "nginx" with ErrImagePull: "${NOT_FOUND}"`);
  const sync2 = kubeletErrorSyncing(f, 12, pod, 'failed to "StartContainer" for "nginx" with ImagePullBackOff: "Back-off pulling image \\"nginx:1.27.99\\""');
  const backoff = kubeEvent(f, 12.001, pod, 'BackOff', 'Back-off pulling image "nginx:1.27.99"', { type: 'Normal', count: 4 });
  // The same image failing on another node is that node's business.
  const elsewhere = f.ev({ t: 1, component: 'kubelet', host: 'node-2', severity: 'error', message: 'PullImage from image service failed', fields: { err: NOT_FOUND, image: 'nginx:1.27.99' } });
  const inc = detectOnly(f, imagePullBackoffRule);
  assert.equal(inc!.kind, 'image-pull-backoff');
  assert.equal(inc!.rootUid, pod.uid);
  assert.equal(inc!.summary, 'pod/default/web-1 cannot pull image nginx:1.27.99');
  assert.equal(inc!.start, at(0));
  assert.equal(inc!.end, at(12.001));
  const ev = evidence(f.db, inc!.id);
  assert.deepEqual([...ev], [containerd, pull, failed, errPull, sync1, sync2, backoff].map((id) => [id, 'trigger']));
  assert.ok(!ev.has(elsewhere));
  assert.deepEqual(inc!.details.components, ['event', 'kubelet', 'other']);
  assert.equal(inc!.details.counts['backoffs'], 5);
});

test('one failed pull that the next attempt fixes is not an incident', () => {
  const f = new Fixture();
  const pod = f.pod('default', 'web-1');
  kubeEvent(f, 0, pod, 'Failed', 'Error: ErrImagePull');
  kubeEvent(f, 20, pod, 'Pulled', 'Successfully pulled image "nginx:1.27.3"', { type: 'Normal' });
  f.done();
  assert.deepEqual(detectIncidents(f.store, { rules: [imagePullBackoffRule] }).byKind, {});
});

test('two failed pulls are enough; 10 quiet minutes end the incident', () => {
  const f = new Fixture();
  const pod = f.pod('default', 'web-1');
  kubeletErrorSyncing(f, 0, pod, `failed to "StartContainer" for "nginx" with ErrImagePull: "${NOT_FOUND}"`);
  kubeletErrorSyncing(f, 40, pod, `failed to "StartContainer" for "nginx" with ErrImagePull: "${NOT_FOUND}"`);
  kubeletErrorSyncing(f, 700, pod, `failed to "StartContainer" for "nginx" with InvalidImageName: "x"`);
  kubeletErrorSyncing(f, 710, pod, `failed to "StartContainer" for "nginx" with InvalidImageName: "x"`);
  f.done();
  detectIncidents(f.store, { rules: [imagePullBackoffRule] });
  assert.deepEqual(incidents(f.db).map((i) => [i.start, i.end]), [
    [at(0), at(40)],
    [at(700), at(710)],
  ]);
});
