/**
 * leader-election-lost: a controller that held a lease could not renew it in time and stops
 * (the process exits and is restarted): client-go's `failed to renew lease
 * openshift-sdn/openshift-network-controller: timed out waiting for the condition`
 * (tools/leaderelection/leaderelection.go, logged at info), then the controller-manager's and
 * scheduler's `leaderelection lost` (F, cmd/kube-scheduler/app/server.go and the controller-manager's) or library-go's `leader election
 * lost` (W, pkg/controller/controllercmd). Facts: `lease` and `err` for the renewal,
 * `lost` for the line that ends it.
 */
import { patternSignal } from './pattern.js';

const WRITERS = ['kube-controller-manager', 'kube-scheduler', 'other'];

export const leaderElectionLost = patternSignal({
  name: 'leader-election-lost',
  describe: 'a leader could not renew its lease (failed to renew lease) and stops (leaderelection lost)',
  lines: [
    { components: WRITERS, re: /^failed to renew lease (?<lease>[^\s:]{1,253}): (?<err>[^]*)$/, with: [] },
    { components: WRITERS, minSeverity: 2, re: /^leader ?election lost$/i, fixed: { lost: true }, with: [] },
  ],
});
