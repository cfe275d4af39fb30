/**
 * proxy-rules-synced: kube-proxy (re)programmed the node's service rules, or said a Service has
 * no endpoints while doing it: `Syncing iptables rules`, `Reloading service iptables data`,
 * `SyncProxyRules complete` / `syncProxyRules complete` (pkg/proxy/iptables/proxier.go, older and
 * newer spellings), and the lines that mention `has no endpoints`. Context for
 * service-no-endpoints: the syncs that follow an endpoints change are what carried it to the
 * node. Not a fault: a context signal, not shown beside evidence lines. No facts.
 */
import type { Facts, Signal } from './types.js';

const SYNC_LINES: ReadonlySet<string> = new Set(['Syncing iptables rules', 'Reloading service iptables data', 'SyncProxyRules complete', 'syncProxyRules complete']);

export const proxyRulesSynced: Signal = {
  name: 'proxy-rules-synced',
  components: ['kube-proxy'],
  describe: "kube-proxy synced the node's service rules (Syncing iptables rules, SyncProxyRules complete, has no endpoints)",
  context: true,
  match(e): Facts | undefined {
    if (e.component !== 'kube-proxy') return undefined;
    return SYNC_LINES.has(e.message) || e.message.includes('has no endpoints') ? {} : undefined;
  },
};
