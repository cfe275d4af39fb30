/**
 * apiserver-etcd-unreachable: an apiserver that cannot connect to etcd (`grpc:
 * addrConn.createTransport failed to connect to {Addr: "127.0.0.1:2379" ...} ... connect:
 * connection refused`, the older `client: etcd cluster is unavailable or misconfigured`): it can
 * serve nothing; its clients' leases and lists fail. Root: the apiserver (its host when the line
 * names one). Effects: its clients' failures over the same span.
 *
 * Threshold: failures spanning a minute or more, ten at least. An apiserver started beside etcd
 * dials before etcd listens, for a second or two (kind and minikube start-ups): not this.
 */
import { addEvents } from '../candidate.js';
import { MINUTE } from '../group.js';
import { clientFailures } from '../control-plane.js';
import { factValues, leanSignalRunRule, spanOf, spanText } from './signal-runs.js';

export const apiserverEtcdUnreachableRule = leanSignalRunRule('apiserver-etcd-unreachable', 'error', 'an apiserver failing to connect to etcd 10+ times over 1 min or more', {
  signals: ['etcd-unreachable'],
  key: (e) => `${e.component} ${e.host ?? ''}`,
  gap: MINUTE,
  qualifies: (run) => run.length >= 10 && spanOf(run) >= MINUTE,
  root: () => ({ kind: 'Component', name: 'kube-apiserver' }),
  finish: (c, run, v) => {
    c.counts['failures'] = run.length;
    c.notes['host'] = run[0]!.host;
    addEvents(c, clientFailures(v, c.start, c.end), 'effect', false);
  },
  summarize: (run) =>
    `the apiserver${run[0]!.host ? ` on ${run[0]!.host}` : ''} could not reach etcd at ${factValues(run, 'endpoint').join(', ') || '?'} for ${spanText(spanOf(run))} (${run.length} failures): ${factValues(run, 'err').slice(0, 2).join('; ')}`,
});
