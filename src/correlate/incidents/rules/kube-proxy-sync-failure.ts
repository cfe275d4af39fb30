/**
 * kube-proxy-sync-failure: kube-proxy cannot program the node's service rules, so Services stop
 * working on that node. Root: the kube-proxy pod (the writer of its lines). Signals: error lines
 * about applying rules (`Failed to execute iptables-restore`, `Sync failed`, `Failed to sync`,
 * `Failed to ensure chain exists`, nftables/ipvs equivalents). kube-proxy's start-up complaints
 * (`Failed to create nfacct runner`, `Kube-proxy configuration may be incomplete or incorrect`)
 * are about metrics and flags, not rules: they never match.
 *
 * Threshold: kube-proxy retries a failed sync; one failure followed by success is a race with
 * another iptables user. Three failures on one node with no more than 5 minutes between them.
 */
import { addEvents, newCandidate } from '../candidate.js';
import { MINUTE, groupBy, splitByGap } from '../group.js';
import type { Rule } from '../types.js';

const GAP = 5 * MINUTE;
export const SYNC_FAILURES_MIN = 3;
const SYNC_FAILURE = /iptables-restore|ip6tables-restore|nft(?:ables)?\b.*fail|[Ss]ync(?:ing)? (?:proxy rules )?failed|Failed to sync|Failed to ensure chain|Failed to (?:flush|delete|list) .*chain|syncProxyRules failed|Failed to execute/;
const NOT_SYNC = /nfacct|configuration may be incomplete/;

export const kubeProxySyncFailureRule: Rule = {
  kind: 'kube-proxy-sync-failure',
  severity: 'error',
  describe: '3+ rule sync failures on one node, at most 5 min apart (start-up nfacct/config warnings excluded)',
  detect(view) {
    const failures = view
      .events(`e.component = 'kube-proxy' AND e.severity >= 3`)
      .filter((e) => {
        const text = `${e.message} ${typeof e.fields['err'] === 'string' ? e.fields['err'] : ''}`;
        return SYNC_FAILURE.test(text) && !NOT_SYNC.test(text);
      });
    const out = [];
    for (const [host, list] of groupBy(failures, (e) => view.writer(e.id)?.id.toString() ?? e.host ?? '?')) {
      for (const run of splitByGap(list, GAP, (e) => e.time)) {
        if (run.length < SYNC_FAILURES_MIN) continue;
        const pod = view.writer(run[0]!.id);
        const node = run[0]!.host ?? host;
        const c = newCandidate('kube-proxy-sync-failure', 'error', pod, { kind: 'Pod', namespace: 'kube-system', name: pod?.name ?? null }, '');
        addEvents(c, run, 'trigger');
        c.counts['failures'] = run.length;
        c.summary = `kube-proxy on ${node} failed to sync rules ${run.length} times: ${run[run.length - 1]!.message}`;
        out.push(c);
      }
    }
    return out;
  },
};
