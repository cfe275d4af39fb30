/**
 * tls-failure: a TLS handshake failed on the certificate, as Go's crypto/x509 states it
 * (crypto/x509/verify.go, the Error() of CertificateInvalidError, HostnameError,
 * UnknownAuthorityError): `x509: certificate has expired or is not yet valid: current time
 * 2024-05-02T10:00:00Z is after 2024-05-01T09:00:00Z`, `x509: certificate is valid for
 * 172.30.25.38, not 172.22.104.186`, `x509: certificate signed by unknown authority`. Whoever
 * made the connection logs it (the apiserver reaching a kubelet, a kubelet reaching the
 * apiserver, etcd refusing a client), warning or above. Facts: `problem` (expired, wrong-host,
 * unknown-authority, other), `validFor` and `host` for a wrong host, `now` and `notAfter` for an
 * expired certificate, `url` when the line names the request, `err` (the x509 text).
 */
import { patternSignal } from './pattern.js';
import type { Facts } from './types.js';

const WRITERS = ['kube-apiserver', 'kubelet', 'kube-controller-manager', 'kube-scheduler', 'kube-proxy', 'etcd', 'other'];
const WRONG_HOST = /x509: certificate is valid for (?<validFor>[^]*?), not (?<host>[^\s",]{1,253})/;
const EXPIRED = /x509: certificate has expired or is not yet valid: current time (?<now>\S+) is (?:after|before) (?<notAfter>[^\s",]+)/;
const URL = /(?:Get|Post|Put|Patch|Delete) \\*"(https:\/\/[^"\\\s]{1,2048})\\*"/;

function details(text: string): Facts {
  const err = /x509: [^"\\]*/.exec(text)![0].trim();
  const wrong = WRONG_HOST.exec(text);
  const expired = EXPIRED.exec(text);
  const out: Facts = wrong
    ? { problem: 'wrong-host', validFor: wrong.groups!['validFor']!, host: wrong.groups!['host']! }
    : expired
      ? { problem: 'expired', now: expired.groups!['now']!, notAfter: expired.groups!['notAfter']! }
      : { problem: err.includes('unknown authority') ? 'unknown-authority' : 'other' };
  const url = URL.exec(text)?.[1];
  if (url) out['url'] = url;
  out['err'] = err;
  return out;
}

export const tlsFailure = patternSignal({
  name: 'tls-failure',
  describe: 'a TLS connection refused on its certificate (x509: expired, valid for another host, unknown authority)',
  lines: [{ components: WRITERS, minSeverity: 2, re: /\bx509: /, extra: details }],
});
