/**
 * pleg-unhealthy: the kubelet's pod lifecycle event generator has not relisted the runtime's
 * containers for longer than its threshold (a runtime that hangs, a node overloaded), so the
 * kubelet stops syncing pods and the node goes NotReady. pkg/kubelet/pleg/generic.go Healthy()
 * states `pleg was last seen active 3m5.2s ago; threshold is 3m0s`, inside `"Skipping pod
 * synchronization" err="PLEG is not healthy: ..."` and the node's Ready condition. At start the
 * kubelet says `PLEG is not healthy: pleg has yet to be successful` until its first relist: that
 * is start-up, not this signal. Facts: `ago`, `threshold` as stated.
 */
import { patternSignal } from './pattern.js';

export const plegUnhealthy = patternSignal({
  name: 'pleg-unhealthy',
  describe: "the kubelet's PLEG not relisting for longer than its threshold (not the start-up 'pleg has yet to be successful')",
  lines: [{ components: ['kubelet'], re: /PLEG is not healthy: pleg was last seen active (?<ago>[\d.hmsµn]+) ago; threshold is (?<threshold>[\d.hmsµn]+)/ }],
});
