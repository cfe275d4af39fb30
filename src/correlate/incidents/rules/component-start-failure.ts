/**
 * component-start-failure: a Kubernetes component exits because its command failed, most often
 * at start with a configuration it cannot use (`"command failed" err="failed to parse
 * service-account-issuer-key-file: open /etc/kubernetes/pki/sa.key: no such file or directory"`).
 * Root: the component (on its host when the line names one), since no object stands for it.
 * One line is enough: the process is gone. Effects: for the apiserver, its clients failing to
 * reach it in the two minutes after.
 */
import { addEvents } from '../candidate.js';
import { MINUTE } from '../group.js';
import { factValues, signalRunRule } from './signal-runs.js';

const EFFECTS_AFTER = 2 * MINUTE;

export const componentStartFailureRule = signalRunRule('component-start-failure', 'error', 'a component exits because its command failed ("command failed", "Error running ProxyServer")', {
  signals: ['command-failed'],
  key: (e) => `${e.component} ${e.host ?? ''}`,
  gap: 10 * MINUTE,
  qualifies: (run) => run.length > 0,
  root: (run) => ({ kind: 'Component', name: run[0]!.component }),
  // No stored object stands for a component.
  object: () => undefined,
  finish: (c, run, view) => {
    const first = run[0]!;
    if (first.component === 'kube-apiserver') addEvents(c, view.signalled(['control-plane-client-failure'], first.time, first.time + EFFECTS_AFTER), 'effect', false);
    c.notes['host'] = first.host;
  },
  summarize: (run) => {
    const first = run[0]!;
    return `${first.component}${first.host ? ` on ${first.host}` : ''} exited: ${factValues(run, 'err').join('; ') || first.message}`;
  },
});
