/**
 * component-start-failure: a Kubernetes component exits because its command failed, most often
 * at start with a configuration it cannot use (`"command failed" err="failed to parse
 * service-account-issuer-key-file: open /etc/kubernetes/pki/sa.key: no such file or directory"`).
 * Root: the component (on its host when the line names one), since no object stands for it.
 * One line is enough: the process is gone. Effects: for the apiserver, its clients failing to
 * reach it in the two minutes after.
 */
import { addEvents, newCandidate } from '../candidate.js';
import { MINUTE, groupBy, splitByGap } from '../group.js';
import type { Candidate, Rule } from '../types.js';

const GAP = 10 * MINUTE;
const EFFECTS_AFTER = 2 * MINUTE;

export const componentStartFailureRule: Rule = {
  kind: 'component-start-failure',
  severity: 'error',
  describe: 'a component exits because its command failed ("command failed", "Error running ProxyServer")',
  detect(view) {
    const out: Candidate[] = [];
    const failures = view.signalled(['command-failed']);
    for (const list of groupBy(failures, (e) => `${e.component} ${e.host ?? ''}`).values()) {
      for (const run of splitByGap(list, GAP, (e) => e.time)) {
        const first = run[0]!;
        const c = newCandidate('component-start-failure', 'error', undefined, { kind: 'Component', name: first.component }, '');
        addEvents(c, run, 'trigger');
        if (first.component === 'kube-apiserver') addEvents(c, view.signalled(['control-plane-client-failure'], first.time, first.time + EFFECTS_AFTER), 'effect', false);
        const errs = [...new Set(run.map((e) => String(e.facts['err'])).filter((x) => x))];
        c.notes['host'] = first.host;
        c.summary = `${first.component}${first.host ? ` on ${first.host}` : ''} exited: ${errs.join('; ') || first.message}`;
        out.push(c);
      }
    }
    return out;
  },
};
