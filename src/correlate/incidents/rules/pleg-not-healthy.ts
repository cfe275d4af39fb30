/**
 * pleg-not-healthy: a kubelet whose pod lifecycle event generator has not relisted the runtime's
 * containers for longer than its threshold (`PLEG is not healthy: pleg was last seen active
 * 3m5.2s ago; threshold is 3m0s`): it stops syncing pods and its node goes NotReady; a hung
 * container runtime or an overloaded node is the usual cause (an inference, not in the line).
 * Root: the node.
 *
 * Threshold: one line: the threshold (3 minutes) has already been passed when it is written.
 * The start-up form (`pleg has yet to be successful`) is no signal.
 */
import { MINUTE } from '../group.js';
import { factValues, nodeOf, PER_NODE, leanSignalRunRule, spanOf, spanText } from './signal-runs.js';

export const plegNotHealthyRule = leanSignalRunRule('pleg-not-healthy', 'error', "a kubelet's PLEG not relisting past its threshold (PLEG is not healthy: pleg was last seen active ...)", {
  signals: ['pleg-unhealthy'],
  ...PER_NODE,
  gap: 10 * MINUTE,
  qualifies: (run) => run.length > 0,
  finish: (c, run) => void (c.counts['reports'] = run.length),
  summarize: (run) => {
    const ago = factValues(run, 'ago');
    return `node ${nodeOf(run[0]!)!}: PLEG is not healthy, ${run.length} report${run.length > 1 ? 's' : ''} in ${spanText(spanOf(run))}: pleg was last seen active ${ago[0]!}${ago.length > 1 ? ` (up to ${ago[ago.length - 1]!})` : ''} ago, threshold ${String(run[0]!.facts['threshold'])} (inferred: the container runtime hung or the node is overloaded)`;
  },
});
