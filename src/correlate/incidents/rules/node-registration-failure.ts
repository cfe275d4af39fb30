/**
 * node-registration-failure: a kubelet that cannot create its Node object for minutes (`Unable
 * to register node "localhost" with API server: nodes is forbidden: User "kubelet-client" cannot
 * create resource "nodes"`): the node never joins. Root: the node.
 *
 * Threshold: failures spanning 2 minutes or more, five at least. At start-up the kubelet fails
 * for the seconds before the apiserver serves (a kind bundle's first lines): that is not this.
 */
import { MINUTE } from '../group.js';
import type { SignalledEvent } from '../../../store/incident-view.js';
import { signalRunRule, spanOf } from './signal-runs.js';

const MIN_SPAN = 2 * MINUTE;
const MIN_FAILURES = 5;

/** The node the line names, else the host that wrote it; lines naming neither are grouped as '?'. */
const nodeName = (e: SignalledEvent): string => String(e.facts['node'] ?? e.host ?? '?');

export const nodeRegistrationFailureRule = signalRunRule('node-registration-failure', 'error', 'a kubelet failing to register its node 5+ times over 2 min or more', {
  signals: ['node-registration-failed'],
  key: nodeName,
  gap: 10 * MINUTE,
  qualifies: (run) => run.length >= MIN_FAILURES && spanOf(run) >= MIN_SPAN,
  root: (run) => ({ kind: 'Node', name: nodeName(run[0]!) }),
  finish: (c, run) => void (c.counts['attempts'] = run.length),
  summarize: (run) =>
    `the kubelet could not register node ${nodeName(run[0]!)} in ${Math.round(spanOf(run) / MINUTE)} min (${run.length} attempts): ${String(run[run.length - 1]!.facts['err'])}`,
});
