/**
 * tls-failure on real lines: after a reboot gives the MicroK8s node a new address, the apiserver
 * cannot verify the kubelet's serving certificate (`x509: certificate is valid for
 * 172.30.25.38, not 172.22.104.186`, 13 times). The expired form is written to Go's
 * crypto/x509 CertificateInvalidError.Error() format, inside a kubelet line of the corpus's
 * shape (the corpus has no expired certificate).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { corpus, corpusSkip } from '../../helpers/paths.js';
import { assertStated, eventsOf, factsOfLines } from '../../helpers/signal-lines.js';

test('MicroK8s: the host dialled, the names the certificate is valid for, the request', { skip: corpusSkip() }, async () => {
  // grep -c 'certificate is valid for' journal.log: 13
  assertStated(await eventsOf([corpus('microk8s-kubelite-journal')]), 'tls-failure', 13, {
    problem: 'wrong-host',
    validFor: '172.30.25.38',
    host: '172.22.104.186',
    url: 'https://172.22.104.186:10250/containerLogs/container-registry/registry-6c9fcc695f-5sh5d/registry',
    err: 'x509: certificate is valid for 172.30.25.38, not 172.22.104.186',
  });
});

test('an expired certificate: the times as stated; info lines and x509 in a file name are not failures', async () => {
  assert.deepEqual(await factsOfLines([
      'E0502 10:00:01.000000    1234 kubelet_node_status.go:585] "Error updating node status, will retry" err="error getting node \\"w1\\": Get \\"https://10.0.0.1:6443/api/v1/nodes/w1?timeout=10s\\": tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time 2024-05-02T10:00:01Z is after 2024-05-01T09:00:00Z"',
      'I0502 10:00:02.000000    1234 log.go:245] processing file sso73-ocp4-x509-https.json',
    ], 'tls-failure'), [
    {
      problem: 'expired',
      now: '2024-05-02T10:00:01Z',
      notAfter: '2024-05-01T09:00:00Z',
      url: 'https://10.0.0.1:6443/api/v1/nodes/w1?timeout=10s',
      err: 'x509: certificate has expired or is not yet valid: current time 2024-05-02T10:00:01Z is after 2024-05-01T09:00:00Z',
    },
  ]);
});
