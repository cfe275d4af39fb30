/**
 * node-pressure: a kubelet reports its node short of a resource, the state in which it evicts
 * pods: the node condition Events `NodeHasDiskPressure`, `NodeHasInsufficientMemory`,
 * `NodeHasInsufficientPID` (`Node x status is now: NodeHasDiskPressure`, and the kubelet's
 * `"Recording event message for node" node="x" event="NodeHasDiskPressure"`, before 1.20
 * `Recording NodeHasDiskPressure event message for node x`), and the eviction manager's
 * `EvictionThresholdMet: Attempting to reclaim ephemeral-storage` Event and `"Eviction manager:
 * attempting to reclaim" resourceName="ephemeral-storage"` line (pkg/kubelet/eviction/
 * eviction_manager.go, pkg/kubelet/kubelet_node_status.go). The NodeHasNoDiskPressure /
 * NodeHasSufficientMemory that every kubelet records at start are the opposite and not this.
 * Facts: `condition` or `resource` as stated, `node` when the line names it.
 */
import { patternSignal } from './pattern.js';

const PRESSURE = 'NodeHas(?:DiskPressure|InsufficientMemory|InsufficientPID)';

export const nodePressure = patternSignal({
  name: 'node-pressure',
  describe: 'a kubelet reports disk, memory or PID pressure on its node, or its eviction manager reclaiming a resource',
  lines: [
    { components: ['kubelet'], re: new RegExp(`^Recording event message for node (?<condition>${PRESSURE})$`), fields: { node: 'node' }, with: ['event'] },
    { components: ['kubelet'], re: new RegExp(`^Recording (?<condition>${PRESSURE}) event message for node (?<node>\\S{1,253})$`) },
    { components: ['kubelet'], re: /^Eviction manager: attempting to reclaim$/, fields: { resource: 'resourceName' } },
  ],
  events: [
    { reason: new RegExp(`^${PRESSURE}$`) },
    { reason: /^EvictionThresholdMet$/, text: /^Attempting to reclaim (?<resource>\S+)/ },
  ],
});
