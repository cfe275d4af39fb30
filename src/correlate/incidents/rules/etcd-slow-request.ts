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
import { etcdPodOfLine } from '../etcd-members.js';
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
    // Per member: its pod, else the pod its path names, else its host (etcd-members.ts).
    for (const list of groupBy(slow, (e) => etcdPodOfLine(view, e.id, e.host).key).values()) {
      for (const run of splitByGap(list, GAP, (e) => e.time)) {
        const n = run.filter(counted).length;
        if (n < SLOW_RUN_MIN) continue;
        const { pod, ref } = etcdPodOfLine(view, run[0]!.id, run[0]!.host);
        const worst = Math.max(...run.map((e) => (typeof e.facts['tookMs'] === 'number' ? e.facts['tookMs'] : 0)));
        const c = newCandidate('etcd-slow-request', 'warn', pod, ref ?? { kind: 'EtcdMember', namespace: null, name: null }, '');
        addEvents(c, run.filter(counted), 'trigger');
        addEvents(c, run.filter((e) => !counted(e)), 'evidence', false);
        c.counts['slowRequests'] = n;
        c.counts['worstMs'] = Math.round(worst);
        c.summary = `${pod?.name ?? ref?.name ?? 'etcd'}: ${n} slow requests in ${Math.round((c.end - c.start) / SECOND)} s (worst ${Math.round(worst)} ms)`;
        out.push(c);
      }
    }
    return out;
  },
};
