/**
 * network-not-ready: a node whose container runtime keeps reporting the pod network not ready
 * (`NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: no CNI
 * configuration file in /etc/kubernetes/cni/net.d/`): no pod that needs the network can start on
 * it. Root: the node.
 *
 * Threshold: reports spanning 10 minutes or more. At boot the network is not ready until the
 * network plugin's own pod writes its configuration, a minute or two (an OpenShift master in the
 * must-gather: 2 min): that is start-up order, not this.
 */
import { MINUTE } from '../group.js';
import { factValues, nodeOf, PER_NODE, leanSignalRunRule, spanOf, spanText } from './signal-runs.js';

const MIN_SPAN = 10 * MINUTE;

export const networkNotReadyRule = leanSignalRunRule('network-not-ready', 'error', 'a node reporting its pod network not ready (NetworkPluginNotReady) for 10 min or more', {
  signals: ['network-not-ready'],
  ...PER_NODE,
  gap: 2 * MINUTE,
  qualifies: (run) => spanOf(run) >= MIN_SPAN,
  finish: (c, run, view) => {
    c.counts['reports'] = run.length;
    c.notes['untilEnd'] = view.lastEventTime() - c.end < MINUTE;
  },
  summarize: (run, c) => {
    const until = c.notes['untilEnd'] === true ? ', still so when the logs end' : '';
    return `node ${nodeOf(run[0]!)!}: the container runtime reported the pod network not ready for ${spanText(spanOf(run))} (${run.length} reports${until}): ${String(run[0]!.facts['reason'])}: ${factValues(run, 'message').join('; ')}`;
  },
});
