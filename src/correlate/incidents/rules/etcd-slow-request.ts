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
import { addEvents } from '../candidate.js';
import { etcdPodOfLine } from '../etcd-members.js';
import { SECOND } from '../group.js';
import type { LeanSignalledEvent } from '../../../store/incident-view.js';
import { leanSignalRunRule } from './signal-runs.js';
import { maxOf } from '../../../util/extent.js';

export const SLOW_RUN_MIN = 5;

/** A trace details a slow request already counted. */
function counted(e: LeanSignalledEvent): boolean {
  return e.facts['trace'] !== true;
}

function worstMs(run: readonly LeanSignalledEvent[]): number {
  return Math.round(maxOf(run.map((e) => (typeof e.facts['tookMs'] === 'number' ? e.facts['tookMs'] : 0))));
}

export const etcdSlowRequestRule = leanSignalRunRule('etcd-slow-request', 'warn', '5+ slow requests / late heartbeats on one member, at most 30 s apart (traces not counted)', {
  signals: ['etcd-slow-request'],
  // Per member: its pod, else the pod its path names, else its host (etcd-members.ts).
  key: (e, view) => etcdPodOfLine(view, e.id, e.host).key,
  gap: 30 * SECOND,
  qualifies: (run) => run.filter(counted).length >= SLOW_RUN_MIN,
  root: (run, view) => etcdPodOfLine(view, run[0]!.id, run[0]!.host).ref ?? { kind: 'EtcdMember', namespace: null, name: null },
  object: (run, view) => etcdPodOfLine(view, run[0]!.id, run[0]!.host).pod,
  triggers: (run) => run.filter(counted),
  finish: (c, run) => {
    addEvents(c, run.filter((e) => !counted(e)), 'evidence', false);
    c.counts['slowRequests'] = run.filter(counted).length;
    c.counts['worstMs'] = worstMs(run);
  },
  summarize: (run, c) => `${c.root?.name ?? c.rootRef.name ?? 'etcd'}: ${run.filter(counted).length} slow requests in ${Math.round((c.end - c.start) / SECOND)} s (worst ${worstMs(run)} ms)`,
});
