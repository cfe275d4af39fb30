/**
 * tls-failure: connections refused on a certificate, as x509 states it: a certificate valid for
 * other names than the host dialled (`x509: certificate is valid for 172.30.25.38, not
 * 172.22.104.186`), an expired one, or one signed by an authority the client does not trust.
 * Root: the host dialled (host:port from the request's URL, else the host the error names).
 *
 * Threshold: three failures of one kind for one host, or one expired certificate (it will not
 * get better by retrying). The summary quotes the x509 error; why the certificate does not fit
 * (an address that changed, a certificate not rotated) is the reader's inference, marked so.
 */
import { MINUTE } from '../group.js';
import type { SignalledEvent } from '../../../store/incident-view.js';
import { factValues, signalRunRule, spanOf, spanText } from './signal-runs.js';

function hostOf(e: SignalledEvent): string | undefined {
  const url = e.facts['url'];
  if (typeof url === 'string') {
    try {
      return new URL(url).host;
    } catch {
      // an unparsable URL: fall back to the host the error names
    }
  }
  const host = e.facts['host'];
  return typeof host === 'string' ? host : undefined;
}

/**
 * The first x509 error as the line states it, and how many other wordings followed: an expired
 * certificate's error carries the time of each attempt ("current time ... is after ..."), so
 * every failure of one run is worded differently and quoting them all repeats one fact.
 */
export function quoteErrors(errors: readonly string[]): string {
  if (errors.length <= 1) return errors[0] ?? '';
  return `${errors[0]!} (and ${errors.length - 1} more like it)`;
}

const INFERRED: Record<string, string> = {
  'wrong-host': 'inferred: the certificate was issued for another address or name than the one dialled (an address that changed, a certificate not reissued)',
  expired: 'inferred: the certificate was not rotated in time',
  'unknown-authority': "inferred: the server's certificate is signed by a CA the client was not given",
};

export const tlsFailureRule = signalRunRule('tls-failure', 'error', 'TLS connections to one host refused on its certificate (x509) 3+ times, or once when it has expired', {
  signals: ['tls-failure'],
  key: (e) => {
    const host = hostOf(e);
    return host ? `${String(e.facts['problem'])} ${host}` : undefined;
  },
  gap: 10 * MINUTE,
  qualifies: (run) => run.length >= 3 || run[0]!.facts['problem'] === 'expired',
  root: (run) => ({ kind: 'Host', name: hostOf(run[0]!)! }),
  finish: (c, run) => {
    c.counts['failures'] = run.length;
    c.notes['writers'] = [...new Set(run.map((e) => e.component))];
  },
  summarize: (run) => {
    const problem = String(run[0]!.facts['problem']);
    const inferred = INFERRED[problem];
    return `${run.length} TLS connections to ${hostOf(run[0]!)!} refused in ${spanText(spanOf(run))}: ${quoteErrors(factValues(run, 'err'))}${inferred ? ` (${inferred})` : ''}`;
  },
});
