/**
 * proxy-rules-synced on real kube-proxy logs: the k3s kube-proxy of ../shared/corpus/docker-json-
 * kube-proxy syncs its iptables rules 28 times; kind 1.32's and compose's kube-proxy lines (start-
 * up, nfacct, configuration) are look-alikes that must not fire. The other spellings are written to
 * pkg/proxy/iptables/proxier.go's format, read through the same pipeline.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { corpus, corpusSkip } from '../../helpers/paths.js';
import { eventsOf, factsOfLines, stating } from '../../helpers/signal-lines.js';

test('real kube-proxy logs: every "Syncing iptables rules" states it, and no other line', { skip: corpusSkip() }, async () => {
  const events = (await eventsOf([corpus('kind-1.32-bundle'), corpus('compose-logs', 'kube-proxy.log'), corpus('docker-json-kube-proxy')])).filter((e) => e.component === 'kube-proxy');
  const stated = stating(events, 'proxy-rules-synced');
  assert.equal(stated.length, 28);
  assert.ok(stated.every((s) => s.event.message === 'Syncing iptables rules' && Object.keys(s.facts).length === 0));
  assert.ok(events.length > 100, `${events.length} kube-proxy lines`);
});

test("the other sync lines and a Service without endpoints state it; a failed sync does not (that is kube-proxy-sync-failed's)", async () => {
  const lines = [
    'I0321 14:52:40.200000       1 proxier.go:805] "Reloading service iptables data" numServices=12 numEndpoints=20 numFilterChains=6 numFilterRules=9 numNATChains=24 numNATRules=58',
    'I0321 14:52:40.210000       1 proxier.go:1494] "SyncProxyRules complete" elapsed="10.2ms"',
    'I0321 14:52:40.220000       1 proxier.go:1201] "Service has no endpoints" serviceName="shop/web:http"',
    'E0321 14:52:41.101500       1 proxier.go:814] "Sync failed" ipFamily="IPv4" retryingTime="30s"',
  ];
  assert.deepEqual(await factsOfLines(lines, 'proxy-rules-synced', 'kube-proxy.log'), [{}, {}, {}]);
});
