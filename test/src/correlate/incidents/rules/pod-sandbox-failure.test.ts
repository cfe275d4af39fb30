/**
 * pod-sandbox-failure: on the real MicroK8s journal three sandboxes fail while Calico starts, each
 * retried and made (no incident); a node whose CNI plugin keeps failing, in the same lines'
 * format, is one.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { podSandboxFailureRule } from '../../../../../src/correlate/incidents/rules/pod-sandbox-failure.js';
import { corpus, corpusSkip } from '../../../../helpers/paths.js';
import { assertSole, detectOnFiles, detectOnLines } from '../fixture.js';

test('sandboxes failing while the CNI plugin starts are no incident', { skip: corpusSkip() }, async () => {
  assert.deepEqual(await detectOnFiles([corpus('microk8s-kubelite-journal')], podSandboxFailureRule), []);
});

test('a CNI plugin failing for minutes: the node, the pods, the plugin and its error', async () => {
  const line = (t: string, pod: string): string =>
    `Oct 29 ${t} microk8s-vm microk8s.daemon-kubelite[2978]: E1029 ${t}.122285    2978 kuberuntime_sandbox.go:72] "Failed to create sandbox for pod" err="rpc error: code = Unknown desc = failed to setup network for sandbox \\"ccf2a15d\\": plugin type=\\"calico\\" failed (add): stat /var/snap/microk8s/current/var/lib/calico/nodename: no such file or directory" pod="kube-system/${pod}"`;
  const found = await detectOnLines([line('17:23:38', 'coredns-1'), line('17:24:40', 'coredns-1'), line('17:25:45', 'web-2')], 'journal.log', podSandboxFailureRule);
  assertSole(
    found,
    'node/microk8s-vm',
    'node microk8s-vm: 3 pod sandboxes could not be created in 2 min (2 pods), CNI plugin calico: failed to setup network for sandbox "ccf2a15d": plugin type="calico" failed (add): stat /var/snap/microk8s/current/var/lib/calico/nodename: no such file or directory',
  );
});
