/**
 * pod-sandbox-failure: pods on a node that cannot get a sandbox, most often because the CNI plugin
 * fails to set up their network (`failed to setup network for sandbox "...": plugin
 * type="calico" failed (add): stat /var/lib/calico/nodename: no such file or directory`). Root:
 * the node, since the plugin fails for every pod there.
 *
 * Threshold: three failures or more over a minute or more. A single failure while the network
 * plugin starts (MicroK8s after a restart, an OpenShift installer pod) is retried and succeeds.
 */
import { MINUTE } from '../group.js';
import { factValues, nodeOf, PER_NODE, leanSignalRunRule, spanOf, spanText } from './signal-runs.js';

export const podSandboxFailureRule = leanSignalRunRule('pod-sandbox-failure', 'error', 'pods on one node failing to get a sandbox (CNI setup errors) 3+ times over 1 min or more', {
  signals: ['pod-sandbox-failed'],
  ...PER_NODE,
  gap: 10 * MINUTE,
  qualifies: (run) => run.length >= 3 && spanOf(run) >= MINUTE,
  finish: (c, run) => {
    c.counts['failures'] = run.length;
    c.notes['pods'] = factValues(run, 'pod');
  },
  summarize: (run, c) => {
    const plugins = factValues(run, 'plugin');
    const pods = (c.notes['pods'] as string[]).length;
    return `node ${nodeOf(run[0]!)!}: ${run.length} pod sandboxes could not be created in ${spanText(spanOf(run))}${pods ? ` (${pods} pods)` : ''}${plugins.length ? `, CNI plugin ${plugins.join(', ')}` : ''}: ${String(run[run.length - 1]!.facts['err'])}`;
  },
});
