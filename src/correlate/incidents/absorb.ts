/**
 * Folding incidents that are parts of a bigger one into it, so that one fault is reported once:
 *  - the evictions (and probe failures) of the pods of a node that went NotReady are steps of
 *    that node-not-ready, not faults of their own;
 *  - while etcd elects a new leader, slow requests, the apiserver's timeouts and 5xx, and the
 *    failing probes of the apiserver and etcd pods are its effects;
 *  - the readiness failures of the pods behind a Service without endpoints are that incident;
 *  - a crash-looping or OOM-killed pod fails its probes too: one incident;
 *  - a component exiting inside a systemd unit that crash-loops (MicroK8s' kubelite runs the
 *    apiserver, kube-proxy... in one process) is that crash loop's cause, and the apiserver's
 *    timeouts in the two minutes after it came back are its start-up aftermath;
 *  - the evictions a kubelet makes under node pressure are that pressure's;
 *  - a controller that lost its leader election exits: its crash loop is that loss;
 *  - while an apiserver cannot reach etcd, the probes of apiservers and etcd pods fail and etcd
 *    is slow: its effects.
 * A folded incident's triggers become effects of the one it joins (its causes plain evidence), its
 * pods become affected objects, and details.absorbed lists it.
 */
import { addEvidence, rootLabel } from './candidate.js';
import { SECOND, groupBy } from './group.js';
import type { Candidate, IncidentKind } from './types.js';

interface Fold {
  into: IncidentKind;
  parts: readonly IncidentKind[];
  /** How much earlier or later than the host the part may be and still belong to it. */
  before: number;
  after: number;
  /** The part must be about one of the host's objects (root or affected). */
  sameObjects: boolean;
  /** A further condition on the part. */
  when?: (part: Candidate) => boolean;
}

/** Control-plane static pods, whose probes fail while etcd has no leader. */
const CONTROL_PLANE_POD = /^(?:kube-apiserver|etcd)-/;
/** Pods that serve from etcd or watch it (OpenShift's aggregated apiservers, etcd's quorum guard). */
const ETCD_CLIENT_POD = /^(?:kube-apiserver|apiserver|etcd)-/;

const FOLDS: readonly Fold[] = [
  // A pod's own faults first: a probe failure belongs to its Service or its crash loop before it
  // belongs to the node outage that happened to reschedule the pod.
  { into: 'service-no-endpoints', parts: ['probe-failure'], before: 2 * 60 * SECOND, after: 2 * 60 * SECOND, sameObjects: true },
  { into: 'crashloop', parts: ['probe-failure'], before: 60 * SECOND, after: 60 * SECOND, sameObjects: true },
  { into: 'oom-kill', parts: ['probe-failure'], before: 60 * SECOND, after: 60 * SECOND, sameObjects: true },
  { into: 'node-not-ready', parts: ['eviction', 'probe-failure'], before: 0, after: 60 * SECOND, sameObjects: true },
  { into: 'node-pressure', parts: ['eviction'], before: 0, after: 10 * 60 * SECOND, sameObjects: true },
  // A controller that lost its lease exits and is restarted: its crash loop is that loss.
  { into: 'leader-election-lost', parts: ['crashloop'], before: 30 * SECOND, after: 2 * 60 * SECOND, sameObjects: true },
  {
    into: 'apiserver-etcd-unreachable',
    parts: ['probe-failure', 'etcd-slow-request'],
    before: 30 * SECOND,
    after: 60 * SECOND,
    sameObjects: false,
    when: (part) => part.kind === 'etcd-slow-request' || ETCD_CLIENT_POD.test(part.rootRef.name ?? ''),
  },
  { into: 'etcd-leader-loss', parts: ['etcd-slow-request', 'apiserver-timeout', 'apiserver-5xx'], before: 30 * SECOND, after: 60 * SECOND, sameObjects: false },
  { into: 'control-plane-crashloop', parts: ['component-start-failure', 'apiserver-timeout', 'apiserver-5xx'], before: 10 * SECOND, after: 2 * 60 * SECOND, sameObjects: false },
  {
    into: 'etcd-leader-loss',
    parts: ['probe-failure'],
    before: 30 * SECOND,
    after: 60 * SECOND,
    sameObjects: false,
    when: (part) => part.rootRef.namespace === 'kube-system' && CONTROL_PLANE_POD.test(part.rootRef.name ?? ''),
  },
];

function fits(fold: Fold, host: Candidate, part: Candidate): boolean {
  if (fold.when && !fold.when(part)) return false;
  if (part.start > host.end + fold.after || part.end < host.start - fold.before) return false;
  if (!fold.sameObjects) return true;
  // One of the part's objects is one of the host's (its root or an affected object). Asked of
  // the host's own set, allocating nothing: a set per (host, part) pair was the largest garbage
  // of detection (RSS from 321 to 935 MB on a 200k-event store with 25k incidents, measured).
  if (part.root && holds(host, part.root.id)) return true;
  for (const o of part.affected) if (holds(host, o)) return true;
  return false;
}

/** Whether `object` is the candidate's root or one of its affected objects. */
function holds(c: Candidate, object: number): boolean {
  return object === c.root?.id || c.affected.has(object);
}

export function foldInto(host: Candidate, part: Candidate): void {
  // The part's fault is an effect of the host's; what caused the part (the rollout that made an
  // evicted pod, long before) is no cause of the host: it stays as plain evidence.
  for (const [eventId, role] of part.evidence) addEvidence(host, eventId, role === 'trigger' ? 'effect' : role === 'cause' ? 'evidence' : role);
  if (part.root && part.root.id !== host.root?.id) host.affected.add(part.root.id);
  for (const o of part.affected) if (o !== host.root?.id) host.affected.add(o);
  host.end = Math.max(host.end, part.end);
  host.absorbed.push({ kind: part.kind, root: rootLabel(part), events: part.evidence.size }, ...part.absorbed);
}

/**
 * The kinds absorb can touch given the kinds found: a fold acts only when both its host kind and
 * one of its part kinds are there, and a candidate of any other kind is neither folded nor folded
 * into. Detection loads only these from its spill (125k crash loops of a 1M-event store with no
 * host for them stay on disk); absorbing them alone gives what absorbing all would, since a part
 * only ever looks at the hosts of its folds, in found order.
 */
export function foldingKinds(present: ReadonlySet<IncidentKind>): Set<IncidentKind> {
  const out = new Set<IncidentKind>();
  for (const fold of FOLDS) {
    const parts = fold.parts.filter((k) => present.has(k));
    if (!present.has(fold.into) || parts.length === 0) continue;
    out.add(fold.into);
    for (const k of parts) out.add(k);
  }
  return out;
}

export function absorbIncidents(found: readonly Candidate[]): { kept: Candidate[]; absorbed: number } {
  const gone = new Set<Candidate>();
  // The candidates of each kind, in found's order: a part looks only at the hosts of its folds'
  // kinds (a walk over every candidate per part was quadratic: 62k crash loops took minutes).
  const byKind = groupBy(found, (c) => c.kind);
  for (const part of found) {
    for (const fold of FOLDS) {
      if (!fold.parts.includes(part.kind)) continue;
      // Hosts in the fold order: the first fold that takes the part wins.
      const host = byKind.get(fold.into)?.find((h) => !gone.has(h) && h !== part && fits(fold, h, part));
      if (host) {
        foldInto(host, part);
        gone.add(part);
        break;
      }
    }
  }
  return { kept: found.filter((c) => !gone.has(c)), absorbed: gone.size };
}
