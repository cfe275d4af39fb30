/**
 * kube-proxy-sync-failure: kube-proxy cannot program the node's service rules, so Services stop
 * working on that node. Root: the kube-proxy pod (the writer of its lines). Signal:
 * kube-proxy-sync-failed (src/signals/kube-proxy-sync-failed.ts: error lines about applying
 * rules, not kube-proxy's start-up complaints about metrics and flags).
 *
 * Threshold: kube-proxy retries a failed sync; one failure followed by success is a race with
 * another iptables user. Three failures on one node with no more than 5 minutes between them.
 */
import { MINUTE } from '../group.js';
import type { SignalledEvent, StoreView } from '../../../store/incident-view.js';
import { signalRunRule } from './signal-runs.js';

export const SYNC_FAILURES_MIN = 3;

/** Per kube-proxy: the pod that wrote the line, else its host. */
const proxyOf = (e: SignalledEvent, view: StoreView): string => view.writer(e.id)?.id.toString() ?? e.host ?? '?';

export const kubeProxySyncFailureRule = signalRunRule('kube-proxy-sync-failure', 'error', '3+ rule sync failures on one node, at most 5 min apart (start-up nfacct/config warnings excluded)', {
  signals: ['kube-proxy-sync-failed'],
  key: proxyOf,
  gap: 5 * MINUTE,
  qualifies: (run) => run.length >= SYNC_FAILURES_MIN,
  root: (run, view) => ({ kind: 'Pod', namespace: 'kube-system', name: view.writer(run[0]!.id)?.name ?? null }),
  object: (run, view) => view.writer(run[0]!.id),
  finish: (c, run) => void (c.counts['failures'] = run.length),
  summarize: (run, _c, view) => `kube-proxy on ${run[0]!.host ?? proxyOf(run[0]!, view)} failed to sync rules ${run.length} times: ${run[run.length - 1]!.message}`,
});
