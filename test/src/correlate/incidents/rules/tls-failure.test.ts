/**
 * tls-failure on the real MicroK8s journal: after the reboot the apiserver cannot verify the
 * kubelet's serving certificate, issued for the node's old address (13 requests in 3 s); the
 * must-gather's two lines about one untrusted webhook certificate are under the threshold.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { quoteErrors, tlsFailureRule } from '../../../../../src/correlate/incidents/rules/tls-failure.js';
import { corpus, corpusSkip } from '../../../../helpers/paths.js';
import { assertSole, detectOnFiles, detectOnLines } from '../fixture.js';

test('one incident on the host dialled, quoting x509 and marking the inference', { skip: corpusSkip() }, async () => {
  const found = await detectOnFiles([corpus('microk8s-kubelite-journal')], tlsFailureRule);
  const inc = assertSole(found, 'host/172.22.104.186:10250');
  assert.equal(inc.details.counts['failures'], 13);
  assert.match(inc.summary, /^13 TLS connections to 172\.22\.104\.186:10250 refused in 3 s: x509: certificate is valid for 172\.30\.25\.38, not 172\.22\.104\.186 \(inferred: /);
});

test('one expired certificate is enough; two unknown-authority failures are not', async () => {
  const expired =
    'E0502 10:00:01.000000    1234 kubelet_node_status.go:585] "Error updating node status, will retry" err="error getting node \\"w1\\": Get \\"https://10.0.0.1:6443/api/v1/nodes/w1?timeout=10s\\": tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time 2024-05-02T10:00:01Z is after 2024-05-01T09:00:00Z"';
  const unknown = (s: number): string =>
    `E0502 10:00:0${s}.000000    1234 dispatcher.go:130] failed calling webhook "w": Post "https://svc.ns.svc:8080/validate?timeout=5s": x509: certificate signed by unknown authority`;
  const found = await detectOnLines([expired, unknown(2), unknown(3)], 'kubelet.log', tlsFailureRule);
  assert.deepEqual(found.map((i) => i.details.root.label), ['host/10.0.0.1:6443']);
  assert.match(found[0]!.summary, /x509: certificate has expired or is not yet valid: current time 2024-05-02T10:00:01Z is after 2024-05-01T09:00:00Z \(inferred: the certificate was not rotated in time\)$/);
});

test('an expired certificate failing three times is quoted once, with the count of other wordings', async () => {
  const expired = (s: number): string =>
    `E0502 10:00:0${s}.000000    1234 kubelet_node_status.go:585] "Error updating node status, will retry" err="error getting node \\"w1\\": Get \\"https://10.0.0.1:6443/api/v1/nodes/w1?timeout=10s\\": tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time 2024-05-02T10:00:0${s}Z is after 2024-05-01T09:00:00Z"`;
  const found = await detectOnLines([expired(1), expired(2), expired(3)], 'kubelet.log', tlsFailureRule);
  assert.equal(found.length, 1);
  assert.match(
    found[0]!.summary,
    /^3 TLS connections to 10\.0\.0\.1:6443 refused in 2 s: x509: certificate has expired or is not yet valid: current time 2024-05-02T10:00:01Z is after 2024-05-01T09:00:00Z \(and 2 more like it\) \(inferred: the certificate was not rotated in time\)$/,
  );
});

test('quoteErrors: one error as it is, several as the first and a count', () => {
  assert.equal(quoteErrors([]), '');
  assert.equal(quoteErrors(['x509: a']), 'x509: a');
  assert.equal(quoteErrors(['x509: a', 'x509: b', 'x509: c']), 'x509: a (and 2 more like it)');
});
