/**
 * oom-kill: a container killed by the kernel's OOM killer: exit code 137 (SIGKILL) that the
 * kubelet did not cause, or a line saying OOMKilled. Root: the pod.
 *
 * Threshold: one OOM kill is already a fault (the container lost its work), so one suffices. A
 * pod whose deaths are mostly OOM kills is reported here and not as a crash loop, since the
 * cause to fix is memory, not the program.
 */
import { podIncidents } from '../pod-incidents.js';
import { rootLabel } from '../candidate.js';
import type { Rule } from '../types.js';
import { isOomRun, restartFacts, restartSignals, RESTART_GAP } from './container-restarts.js';

export const oomKillRule: Rule = {
  kind: 'oom-kill',
  severity: 'error',
  describe: 'exit code 137 not preceded by a kubelet kill, or OOMKilled: one is enough; pods whose deaths are mostly OOM',
  detect(view) {
    const candidates = podIncidents(view, restartSignals(view), {
      kind: 'oom-kill',
      severity: 'error',
      gap: RESTART_GAP,
      qualifies: isOomRun,
      summarize(runs) {
        const f = restartFacts(runs[0]!);
        const more = runs.length > 1 ? ` (and ${runs.length - 1} more pod${runs.length > 2 ? 's' : ''})` : '';
        return `${rootLabel({ root: runs[0]!.object, rootRef: runs[0]!.pod })}${more}: container OOM-killed ${f.oomKills} time${f.oomKills > 1 ? 's' : ''}`;
      },
    });
    for (const c of candidates) c.counts['oomKills'] = restartSignals(view).filter((s) => c.evidence.get(s.event.id) === 'trigger' && s.tag === 'exit137').length;
    return candidates;
  },
};
