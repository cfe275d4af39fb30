/**
 * leader-election-lost on the real OpenShift must-gather: at 09:24:17 the SDN controller and the
 * service CA controller (among 17) fail to renew their leases and stop: one incident, rooted at
 * the first that lost it, naming both, its shared cause marked as inferred.
 */
import { test } from 'node:test';
import { leaderElectionLostRule } from '../../../../../src/correlate/incidents/rules/leader-election-lost.js';
import { corpusSkip } from '../../../../helpers/paths.js';
import { mustGatherPaths, withMustGather } from '../../../../helpers/signal-lines.js';
import { assertSole, detectOnFiles } from '../fixture.js';

const NS = mustGatherPaths.kubelet.replace('host_service_logs/masters/kubelet_service.log', 'namespaces');
const SDN = 'openshift-sdn/pods/sdn-controller-tv4rs/sdn-controller/sdn-controller/logs/previous.log';
const CA = 'openshift-service-ca/pods/service-ca-7977b9d5d7-w8vrd/service-ca-controller/service-ca-controller/logs/previous.log';

test('controllers losing their leases together are one incident', { skip: corpusSkip() }, async () => {
  const found = await withMustGather([`${NS}/${SDN}`, `${NS}/${CA}`], (paths) => detectOnFiles(paths, leaderElectionLostRule));
  // the SDN controller's F line at 09:24:17.199, the service CA's W line at .381
  assertSole(
    found,
    'pod/openshift-sdn/sdn-controller-tv4rs',
    '2 controllers lost leader election in 0 s and stopped: pod/openshift-sdn/sdn-controller-tv4rs, pod/openshift-service-ca/service-ca-7977b9d5d7-w8vrd; ' +
      'failed to renew 2 leases: timed out waiting for the condition (inferred: a shared cause, the apiserver they renew through not answering in time)',
  );
});
