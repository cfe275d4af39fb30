/**
 * kube-proxy-sync-failed: kube-proxy could not program the node's service rules, an error line
 * about applying them: `"Failed to execute iptables-restore" err="exit status 1 (iptables-restore:
 * line 12 failed)"` and `"Sync failed" retryingTime="30s"` (pkg/proxy/iptables/proxier.go),
 * `Failed to sync`, `Failed to ensure chain exists`, nftables/ipvs equivalents. kube-proxy's
 * start-up complaints (`Failed to create nfacct runner`, `Kube-proxy configuration may be
 * incomplete or incorrect`) are about metrics and flags, not rules: they are not this signal.
 * No facts: the line's message and `err` say what failed.
 */
import { patternSignal } from './pattern.js';

const SYNC_FAILURE = /iptables-restore|ip6tables-restore|nft(?:ables)?\b.*fail|[Ss]ync(?:ing)? (?:proxy rules )?failed|Failed to sync|Failed to ensure chain|Failed to (?:flush|delete|list) .*chain|syncProxyRules failed|Failed to execute/;
const NOT_SYNC = /nfacct|configuration may be incomplete/;

export const kubeProxySyncFailed = patternSignal({
  name: 'kube-proxy-sync-failed',
  describe: "kube-proxy failed to program the node's service rules (iptables-restore, Sync failed...)",
  lines: [{ components: ['kube-proxy'], minSeverity: 3, re: SYNC_FAILURE, with: ['err'], unless: NOT_SYNC }],
});
