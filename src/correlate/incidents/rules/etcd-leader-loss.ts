/**
 * etcd-leader-loss: the etcd leader stops leading (its disk stalls, it is partitioned or it dies)
 * and the cluster elects another. Root: the etcd pod of the member that lost leadership.
 *
 * Recognized by the raft facts parsers/payload/etcd-common.ts puts in fields: `raft` =
 * `lost-leader` (a follower: "raft.node: X lost leader L at term N") and `changed-leader` ("X
 * changed leader from L to M"; raft logs it only when there was a leader before, so bootstrap's
 * first election never matches). The losing member L is the `leader` of the first and the `from`
 * of the second. An election within 30 s of quiet is one incident.
 *
 * Threshold: a leader change seen by at least two members is certain (error). Seen by one member
 * only (the others' logs missing), it is reported as a warning. A leadership transfer etcd was
 * asked for (`transfer-leadership`) is planned: warning too.
 *
 * Causes: the old leader's `leader failed to send out heartbeat on time` and slow requests in the
 * 10 s before (a healthy etcd has a slow request now and then: further back is not this).
 * Effects, until 30 s after the election (or while slow requests continue): the election on every
 * member, slow requests, the apiserver's 5xx and storage errors, audit's 5xx, the kubelet's failed
 * readiness probes of the apiserver and etcd pods, and the clients' failures (lease renewals,
 * list calls answered with etcd's errors).
 */
import { addEvents, newCandidate } from '../candidate.js';
import { apiFailures, clientFailures } from '../control-plane.js';
import { etcdMember, memberOf, memberRoot } from '../etcd-members.js';
import { podRefOf } from '../pod-ref.js';
import { SECOND, groupBy, splitByGap } from '../group.js';
import type { EventRow, SignalledEvent, StoreView } from '../../../store/incident-view.js';
import type { Candidate, Rule } from '../types.js';
import { minOf } from '../../../util/extent.js';

const ELECTION_GAP = 30 * SECOND;
/** How long before the loss the old leader's trouble counts as its cause. */
const CAUSE_BEFORE = 10 * SECOND;
/** Effects keep coming a little after the election (retries, lease renewals). */
const EFFECT_AFTER = 30 * SECOND;
/** Slow requests that keep arriving with gaps below this still belong to the incident. */
const SLOW_CHAIN_GAP = 30 * SECOND;

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

/** Probe failures of the control plane's static pods (kube-apiserver-*, etcd-*) in a window. */
export function controlPlaneProbeFailures(view: StoreView, from: number, to: number): EventRow[] {
  return view
    .signalled(['probe-failed'], from, to)
    .filter((e) => {
      if (e.component !== 'kubelet') return false;
      // The pod field, else the older unstructured `name_kube-system(uid)` form (podRefOf).
      const pod = podRefOf(e);
      return pod?.namespace === 'kube-system' && CONTROL_PLANE_POD.test(pod.name ?? '');
    });
}

const CONTROL_PLANE_POD = /^(?:kube-apiserver|etcd)-/;

/**
 * Who took over, as the lines state it: the leader elected at the lowest term from the loss on,
 * named by `became leader`, `elected leader` or `changed leader from L to M`. A split vote at one
 * term elects no one and ends with a leader at the next; a leader at a later term still is the
 * next election (that leader lost in turn: its own incident), not the end of this one. An earlier
 * `became leader` (bootstrap) is the leader that was lost, not the new one.
 */
function newLeaderOf(run: readonly SignalledEvent[], elections: readonly SignalledEvent[], lost: string | undefined): { leader: string; term: number | undefined } | undefined {
  const terms = run.map((e) => e.facts['term']).filter((t): t is number => typeof t === 'number');
  const lossTerm = terms.length ? minOf(terms) : 0;
  let best: { leader: string; term: number | undefined } | undefined;
  const consider = (leader: string | undefined, term: unknown): void => {
    if (!leader || leader === lost) return;
    const t = typeof term === 'number' ? term : undefined;
    if (t !== undefined && t < lossTerm) return;
    if (!best || (t !== undefined && (best.term === undefined || t < best.term))) best = { leader, term: t };
  };
  for (const e of run) consider(str(e.facts['newLeader']), e.facts['term']);
  for (const e of elections) if (e.time >= run[0]!.time - ELECTION_GAP) consider(str(e.facts['leader']), e.facts['term']);
  return best;
}

export const etcdLeaderLossRule: Rule = {
  kind: 'etcd-leader-loss',
  severity: 'error',
  describe: 'raft lost-leader / changed-leader within 30 s: error when 2+ members report it, warning with one or a planned transfer',
  detect(view) {
    const losses = view.signalled(['etcd-leader-lost']);
    const candidates: Candidate[] = [];
    // One statement per leader lost: within an election burst, a second loss (the new leader
    // handing over at shutdown) is its own incident, with its own terms and planning.
    const runs = splitByGap(losses, ELECTION_GAP, (e) => e.time).flatMap((burst) => [...groupBy(burst, (e) => str(e.facts['lostLeader']) ?? '?').values()]);
    runs.sort((a, b) => a[0]!.time - b[0]!.time);
    for (const run of runs) {
      const first = run[0]!.time;
      const last = run[run.length - 1]!.time;
      // The member most lines name as the lost leader.
      const votes = new Map<string, number>();
      for (const e of run) {
        const l = str(e.facts['lostLeader']);
        if (l && l !== '0') votes.set(l, (votes.get(l) ?? 0) + 1);
      }
      const oldLeader = [...votes].sort((a, b) => b[1] - a[1])[0]?.[0];
      const member = oldLeader ? etcdMember(view, oldLeader) : undefined;
      const reporters = new Set(run.map((e) => memberOf(e.fields) ?? e.host ?? '?'));
      const around = view.signalled(['etcd-election', 'etcd-slow-request'], first - CAUSE_BEFORE, last + EFFECT_AFTER);
      const elections = around.filter((e) => e.signal === 'etcd-election' && e.time >= first - ELECTION_GAP);
      // Planned: the old leader handed leadership over itself. A new leader transferring it away
      // later (etcd does at shutdown) says nothing about this loss.
      const planned = elections.some((e) => e.facts['step'] === 'transfer-leadership' && e.facts['member'] === oldLeader && e.time <= last);
      const elected = newLeaderOf(run, elections.filter((e) => e.time >= first - ELECTION_GAP), oldLeader);
      const newLeader = elected?.leader;
      const lossTerms = [...new Set(run.map((e) => e.facts['term']).filter((t): t is number => typeof t === 'number'))].sort((a, b) => a - b);
      const severity = reporters.size >= 2 && !planned ? 'error' : 'warn';
      const rootRef = memberRoot(member, oldLeader);
      const label = rootRef.kind === 'Pod' && rootRef.name ? rootRef.name : oldLeader ? `etcd member ${oldLeader}` : 'etcd leader';
      const c = newCandidate('etcd-leader-loss', severity, member?.pod, rootRef, '');
      addEvents(c, run, 'trigger');
      // The election on every member, and the old leader's trouble before it.
      const electionStart = Math.min(first, ...elections.map((e) => e.time));
      for (const e of elections) addEvents(c, [e], 'trigger');
      for (const e of around) {
        if (e.signal === 'etcd-slow-request') addEvents(c, [e], e.time < electionStart ? 'cause' : 'effect', true);
      }
      // Slow requests that keep coming after it, on any member.
      let end = c.end;
      for (const e of view.signalled(['etcd-slow-request'], last + EFFECT_AFTER + 1, last + 10 * 60 * SECOND)) {
        if (e.time - end > SLOW_CHAIN_GAP) break;
        addEvents(c, [e], 'effect', true);
        end = e.time;
      }
      const from = c.start - 5 * SECOND;
      const to = c.end + EFFECT_AFTER;
      addEvents(c, apiFailures(view, from, to).map((f) => f.event), 'effect');
      addEvents(c, clientFailures(view, from, to), 'effect');
      // The apiserver's readiness (/readyz checks etcd) and etcd's own health probes fail meanwhile.
      addEvents(c, controlPlaneProbeFailures(view, from, to), 'effect');
      // Every member whose own lines are evidence is affected.
      const members = new Set<string>();
      for (const e of [...run, ...around]) {
        const m = c.evidence.has(e.id) ? memberOf(e.fields) : undefined;
        if (m) members.add(m);
      }
      for (const m of members) {
        const pod = etcdMember(view, m).pod;
        if (pod && pod.id !== c.root?.id) c.affected.add(pod.id);
      }
      c.counts['reportingMembers'] = reporters.size;
      c.counts['members'] = members.size;
      c.counts['slowRequests'] = around.filter((e) => e.signal === 'etcd-slow-request' && e.facts['trace'] !== true && c.evidence.has(e.id)).length;
      if (lossTerms.length) c.counts['lostAtTerm'] = lossTerms[0]!;
      if (elected?.term !== undefined) c.counts['electedAtTerm'] = elected.term;
      c.notes['oldLeader'] = oldLeader ?? null;
      c.notes['newLeader'] = newLeader ?? null;
      if (planned) c.notes['planned'] = true;
      // Facts as the members' lines state them; the pod behind a member ID is our inference.
      const termText = lossTerms.length ? ` at term ${lossTerms.join('/')}` : '';
      const wonText = newLeader ? `; ${newLeader} became leader${elected?.term !== undefined ? ` at term ${elected.term}` : ''}` : '; no new leader seen in the logs';
      c.causeChain.push({
        kind: 'etcd-leader-loss',
        objectUid: member?.pod?.uid ?? null,
        object: label,
        time: first,
        summary: `member ${oldLeader ?? '?'} lost leadership${termText}${wonText}`,
      });
      const who = rootRef.kind === 'Pod' && rootRef.name ? ` (${label}, inferred from the member ID)` : '';
      c.summary = `etcd leader ${oldLeader ?? '?'}${who} lost leadership${termText}${wonText}; ${planned ? 'a planned transfer, ' : ''}reported by ${reporters.size} member${reporters.size > 1 ? 's' : ''}`;
      candidates.push(c);
    }
    return candidates;
  },
};
