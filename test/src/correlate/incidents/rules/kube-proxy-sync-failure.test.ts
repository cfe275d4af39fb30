import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectIncidents } from '../../../../../src/correlate/incidents/index.js';
import { kubeProxySyncFailureRule } from '../../../../../src/correlate/incidents/rules/kube-proxy-sync-failure.js';
import { at, Fixture, incidents } from '../fixture.js';

test('three rule-sync failures on a node within 5 minutes are an incident rooted at its kube-proxy pod', () => {
  const f = new Fixture();
  const proxy = f.pod('kube-system', 'kube-proxy-abcde');
  for (const t of [0, 30, 60]) {
    f.ev({ t, component: 'kube-proxy', host: 'w1', severity: 'error', message: 'Failed to execute iptables-restore', fields: { err: 'exit status 4: iptables-restore: line 12 failed' }, writer: proxy });
  }
  f.done();
  detectIncidents(f.store, { rules: [kubeProxySyncFailureRule] });
  assert.deepEqual(incidents(f.db).map((i) => [i.kind, i.rootUid, i.start, i.end, i.summary]), [
    ['kube-proxy-sync-failure', proxy.uid, at(0), at(60), 'kube-proxy on w1 failed to sync rules 3 times: Failed to execute iptables-restore'],
  ]);
});

test("kube-proxy's start-up complaints and two failures are not an incident", () => {
  const f = new Fixture();
  const proxy = f.pod('kube-system', 'kube-proxy-abcde');
  for (const t of [0, 0.1, 0.2]) f.ev({ t, component: 'kube-proxy', host: 'w1', severity: 'error', message: "Failed to create nfacct runner, nfacct based metrics won't be available", writer: proxy });
  f.ev({ t: 0.3, component: 'kube-proxy', host: 'w1', severity: 'error', message: 'Kube-proxy configuration may be incomplete or incorrect', fields: { err: 'nodePortAddresses is unset' }, writer: proxy });
  f.ev({ t: 10, component: 'kube-proxy', host: 'w1', severity: 'error', message: 'Sync failed', fields: { retryingTime: '30s' }, writer: proxy });
  f.ev({ t: 400, component: 'kube-proxy', host: 'w1', severity: 'error', message: 'Sync failed', fields: { retryingTime: '30s' }, writer: proxy });
  f.done();
  assert.deepEqual(detectIncidents(f.store, { rules: [kubeProxySyncFailureRule] }).byKind, {});
});
