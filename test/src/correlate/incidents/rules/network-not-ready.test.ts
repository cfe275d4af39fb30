/**
 * network-not-ready on the real OpenShift master journal: the runtime reports no CNI configuration
 * every 5 s from 08:09:10 to the journal's last line at 09:03:21; and a node whose network comes
 * up after two minutes (start-up order) is no incident.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { networkNotReadyRule } from '../../../../../src/correlate/incidents/rules/network-not-ready.js';
import { corpus, corpusSkip } from '../../../../helpers/paths.js';
import { assertSole, detectOnFiles, detectOnLines } from '../fixture.js';

test('54 minutes without a pod network is one incident on the node, stated as the kubelet says it', { skip: corpusSkip() }, async () => {
  const found = await detectOnFiles([corpus('openshift-kubelet-journal')], networkNotReadyRule);
  assertSole(
    found,
    'node/ite-ocp-2rk9g-master-0',
    'node ite-ocp-2rk9g-master-0: the container runtime reported the pod network not ready for 54 min (651 reports, still so when the logs end): ' +
      'NetworkPluginNotReady: Network plugin returns error: no CNI configuration file in /etc/kubernetes/cni/net.d/. Has your network provider started?',
  );
});

test('two minutes at boot is start-up order', async () => {
  const line = (s: number): string =>
    `E0523 08:${String(9 + Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}.566718    2689 kubelet.go:2916] "Container runtime network not ready" networkReady="NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: no CNI configuration file in /etc/kubernetes/cni/net.d/. Has your network provider started?"`;
  const lines = Array.from({ length: 25 }, (_, i) => line(i * 5));
  assert.deepEqual(await detectOnLines(lines, 'kubelet.log', networkNotReadyRule), []);
});
