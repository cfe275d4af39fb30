/**
 * leader-election-lost on the real OpenShift must-gather: the SDN controller (client-go's
 * `failed to renew lease`, then klog F `leaderelection lost`) and the service CA controller
 * (library-go's W `leader election lost`), both at 09:24:17 when 17 controllers lost their leases.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { corpusSkip } from '../../helpers/paths.js';
import { eventsOf, mustGatherPaths, stating, unpackMustGather } from '../../helpers/signal-lines.js';

const NS = mustGatherPaths.kubelet.replace('host_service_logs/masters/kubelet_service.log', 'namespaces');

test('the lease and the error of the failed renewal, then the loss', { skip: corpusSkip() }, async () => {
  const mg = unpackMustGather([
    `${NS}/openshift-sdn/pods/sdn-controller-tv4rs/sdn-controller/sdn-controller/logs/previous.log`,
    `${NS}/openshift-service-ca/pods/service-ca-7977b9d5d7-w8vrd/service-ca-controller/service-ca-controller/logs/previous.log`,
  ]);
  try {
    const sdn = stating(await eventsOf([mg.paths[0]!]), 'leader-election-lost');
    assert.deepEqual(sdn.map((s) => s.facts), [{ lease: 'openshift-sdn/openshift-network-controller', err: 'timed out waiting for the condition' }, { lost: true }]);
    assert.equal(sdn[1]!.event.severity, 'fatal');
    const ca = stating(await eventsOf([mg.paths[1]!]), 'leader-election-lost');
    assert.deepEqual(ca.map((s) => s.facts), [{ lease: 'openshift-service-ca/service-ca-controller-lock', err: 'timed out waiting for the condition' }, { lost: true }]);
    assert.equal(ca[1]!.event.severity, 'warn');
  } finally {
    mg.dispose();
  }
});
