/**
 * Incident detection over real captures (../shared/corpus), ingested and linked as the pipeline
 * does. Each expectation was checked by reading the logs by hand.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ingestPaths } from '../../../../src/correlate/eval.js';
import { detectIncidents } from '../../../../src/correlate/incidents/index.js';
import { linkObjects } from '../../../../src/correlate/link.js';
import { openStore } from '../../../../src/store/writer.js';
import { corpus, corpusSkip } from '../../../helpers/paths.js';
import { incidents } from './fixture.js';

async function detected(path: string) {
  const store = openStore(':memory:');
  await ingestPaths(store, [path]);
  linkObjects(store.correlation);
  const summary = detectIncidents(store);
  const found = incidents(store.db).map((i) => ({ kind: i.kind, severity: i.severity, root: i.details.root.label, rootUid: i.rootUid }));
  store.close();
  return { summary, found };
}

test('kind 1.32 bundle: a cluster starting up is no incident at all', { skip: corpusSkip() }, async () => {
  // The capture is the first 30 s of a one-node kind cluster. Its errors are start-up order, and
  // each is set aside by a rule's definition, not by luck:
  //  - the kubelet's "connection refused" to :6443, "Unable to register node", "Failed to ensure
  //    lease exists" come before the apiserver serves: those are a client failing to connect, not
  //    the apiserver answering 5xx (apiserver-5xx/-timeout read the apiserver's own responses);
  //  - "Failed creating a mirror pod ... no PriorityClass", the scheduler's RBAC "forbidden" list
  //    errors, the controller-manager's lease "forbidden": bootstrap RBAC, no rule reads them;
  //  - kube-proxy's "Failed to create nfacct runner" and "configuration may be incomplete" are
  //    excluded by name from kube-proxy-sync-failure;
  //  - etcd elects its first leader ("became leader at term 2"): no leader was lost;
  //  - CoreDNS logs only its start-up banner: no query failed.
  const { summary, found } = await detected(corpus('kind-1.32-bundle'));
  assert.equal(summary.linked, true);
  assert.deepEqual(found, []);
});

test('OpenShift kubelet journal: the one crash loop at boot, rooted at its static pod', { skip: corpusSkip() }, async () => {
  // kube-rbac-proxy-crio exits at boot and the kubelet backs off 10 s, then 20 s ("back-off 20s
  // restarting failed container=kube-rbac-proxy-crio"), at 08:07:20-08:07:49: two failures in a
  // row, the crash-loop threshold. Its pod is a static pod, so its UID is the 32-hex config hash.
  const { found } = await detected(corpus('openshift-kubelet-journal'));
  assert.deepEqual(found, [
    {
      kind: 'crashloop',
      severity: 3,
      root: 'pod/openshift-machine-config-operator/kube-rbac-proxy-crio-ite-ocp-2rk9g-master-0',
      rootUid: '3358bb4775586f16aa5b3234bff5f1b6',
    },
  ]);
});
