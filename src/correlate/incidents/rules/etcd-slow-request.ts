/**
 * etcd-slow-request: one etcd member answering slowly for a sustained time (a slow or saturated
 * disk, an overloaded member). Root: that member's etcd pod (the writer of its lines). Signals:
 * `apply request took too long` (zap: took / expected-duration; capnslog: `... took too long
 * (638ms) to execute`), `sync duration of ... expected less than`, the leader's `failed to send out
 * heartbeat on time`; traces (`trace[N] range`) are kept as evidence but not counted, since etcd
 * writes one beside each slow request it already reported.
 *
 * Threshold: a healthy etcd reports a slow request now and then (a compaction, an fsync spike: the
 * healthy simulated cluster shows six in ten minutes, never closer than 17 s apart twice in a row).
 * Five or more on one member with no more than 30 s between them is a sustained run.
 */
import { addEvents, newCandidate } from '../candidate.js';
import { SECOND, groupBy, splitByGap } from '../group.js';
import type { SignalledEvent } from '../../../store/incident-view.js';
import type { Rule } from '../types.js';

const GAP = 30 * SECOND;
export const SLOW_RUN_MIN = 5;

/** A trace details a slow request already counted. */
function counted(e: SignalledEvent): boolean {
  return e.facts['trace'] !== true;
}

export const etcdSlowRequestRule: Rule = {
  kind: 'etcd-slow-request',
  severity: 'warn',
  describe: '5+ slow requests / late heartbeats on one member, at most 30 s apart (traces not counted)',
  detect(view) {
    const slow = view.signalled(['etcd-slow-request']);
    const out = [];
    for (const list of groupBy(slow, (e) => {
      const w = view.writer(e.id);
      return w ? `p${w.id}` : `h${e.host ?? '?'}`;
    }).values()) {
      for (const run of splitByGap(list, GAP, (e) => e.time)) {
        const n = run.filter(counted).length;
        if (n < SLOW_RUN_MIN) continue;
        const pod = view.writer(run[0]!.id) ?? (run[0]!.host ? view.objectsNamed('Pod', 'kube-system', `etcd-${run[0]!.host}`)[0] : undefined);
        const worst = Math.max(...run.map((e) => (typeof e.facts['tookMs'] === 'number' ? e.facts['tookMs'] : 0)));
        const c = newCandidate('etcd-slow-request', 'warn', pod, { kind: 'Pod', namespace: 'kube-system', name: pod?.name ?? `etcd-${run[0]!.host ?? '?'}` }, '');
        addEvents(c, run.filter(counted), 'trigger');
        addEvents(c, run.filter((e) => !counted(e)), 'evidence', false);
        c.counts['slowRequests'] = n;
        c.counts['worstMs'] = Math.round(worst);
        c.summary = `${pod?.name ?? 'etcd'}: ${n} slow requests in ${Math.round((c.end - c.start) / SECOND)} s (worst ${Math.round(worst)} ms)`;
        out.push(c);
      }
    }
    return out;
  },
};
