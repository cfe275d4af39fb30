/**
 * kube-proxy-sync-failed on real kube-proxy logs: the corpus has no failed rule sync, so the real
 * captures test the look-alikes that must not fire (kind 1.32's nfacct and configuration errors,
 * compose's start-up errors, a k3s kube-proxy's "Syncing iptables rules" at info), and the
 * failures are written to the format of pkg/proxy/iptables/proxier.go
 * (`klog.ErrorS(err, "Failed to execute iptables-restore")`, `klog.ErrorS(nil, "Sync failed",
 * "retryingTime", ...)`), read through the same pipeline.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { severityRank } from '../../../src/model/event.js';
import { corpus, corpusSkip } from '../../helpers/paths.js';
import { eventsOf, factsOfLines, stating } from '../../helpers/signal-lines.js';

test('real kube-proxy logs: error and sync lines that are not failed syncs state nothing', { skip: corpusSkip() }, async () => {
  const events = (await eventsOf([corpus('kind-1.32-bundle'), corpus('compose-logs', 'kube-proxy.log'), corpus('docker-json-kube-proxy')])).filter((e) => e.component === 'kube-proxy');
  const errors = events.filter((e) => severityRank(e.severity) >= 3).map((e) => e.message);
  // The look-alikes are really there: nfacct (kind), the start-up failures (compose), syncs at info (k3s).
  assert.ok(errors.some((m) => m.startsWith('Failed to create nfacct runner')), 'no nfacct error read');
  assert.ok(errors.includes('Error running ProxyServer'), 'no compose start-up error read');
  assert.ok(events.some((e) => e.message === 'Syncing iptables rules'), 'no sync line read');
  assert.deepEqual(stating(events, 'kube-proxy-sync-failed'), []);
});

/** An nfacct error, a failed iptables-restore, the Sync failed that follows it, and a sync at info. */
const PROXIER_LINES = [
  'E0321 14:51:33.515377       1 proxier.go:283] "Failed to create nfacct runner, nfacct based metrics won\'t be available" err="nfacct sub-system not available" ipFamily="IPv4"',
  'E0321 14:52:10.101010       1 proxier.go:1520] "Failed to execute iptables-restore" err="exit status 4 (iptables-restore: line 12 failed)" ipFamily="IPv4"',
  'E0321 14:52:10.101500       1 proxier.go:814] "Sync failed" ipFamily="IPv4" retryingTime="30s"',
  'I0321 14:52:40.200000       1 proxier.go:805] "Syncing iptables rules" ipFamily="IPv4"',
];

test('failed syncs in kube-proxy 1.2x format (pkg/proxy/iptables/proxier.go) are stated; the nfacct error and the info sync are not', async () => {
  assert.deepEqual(await factsOfLines(PROXIER_LINES, 'kube-proxy-sync-failed', 'kube-proxy.log'), [{}, {}]);
});
