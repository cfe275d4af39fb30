/**
 * node-registration-failure: a kubelet that cannot create its Node object for minutes (`Unable
 * to register node "localhost" with API server: nodes is forbidden: User "kubelet-client" cannot
 * create resource "nodes"`): the node never joins. Root: the node.
 *
 * Threshold: failures spanning 2 minutes or more, five at least. At start-up the kubelet fails
 * for the seconds before the apiserver serves (a kind bundle's first lines): that is not this.
 */
import { addEvents, newCandidate } from '../candidate.js';
import { MINUTE, groupBy, splitByGap } from '../group.js';
import type { Candidate, Rule } from '../types.js';

const GAP = 10 * MINUTE;
const MIN_SPAN = 2 * MINUTE;
const MIN_FAILURES = 5;

export const nodeRegistrationFailureRule: Rule = {
  kind: 'node-registration-failure',
  severity: 'error',
  describe: 'a kubelet failing to register its node 5+ times over 2 min or more',
  detect(view) {
    const out: Candidate[] = [];
    const failures = view.signalled(['node-registration-failed']);
    for (const list of groupBy(failures, (e) => String(e.facts['node'] ?? e.host ?? '?')).values()) {
      for (const run of splitByGap(list, GAP, (e) => e.time)) {
        const first = run[0]!;
        const last = run[run.length - 1]!;
        if (run.length < MIN_FAILURES || last.time - first.time < MIN_SPAN) continue;
        const node = String(first.facts['node'] ?? first.host ?? '?');
        const c = newCandidate('node-registration-failure', 'error', view.resolve({ kind: 'Node', name: node }, first.time), { kind: 'Node', name: node }, '');
        addEvents(c, run, 'trigger');
        c.counts['attempts'] = run.length;
        c.summary = `the kubelet could not register node ${node} in ${Math.round((last.time - first.time) / MINUTE)} min (${run.length} attempts): ${String(last.facts['err'])}`;
        out.push(c);
      }
    }
    return out;
  },
};
