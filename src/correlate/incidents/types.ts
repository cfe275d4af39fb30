/**
 * The shapes incident detection passes around: what a rule returns (a candidate incident, before
 * it is merged with the others and written), and the names the store and the simulator's truth
 * share (incident kinds, evidence and object roles).
 */
import type { Severity } from '../../model/event.js';
import type { EvidenceRole } from '../../store/evidence-roles.js';
import type { ObjectRow, StoreView } from '../../store/incident-view.js';

/**
 * Incident kinds. The first nine are the names the simulator's truth (src/sim/scenarios.ts) uses;
 * the rest are faults a real cluster shows that the simulator does not inject.
 */
export const INCIDENT_KINDS = [
  'image-pull-backoff',
  'crashloop',
  'oom-kill',
  'unschedulable',
  'node-not-ready',
  'etcd-leader-loss',
  'dns-upstream-timeout',
  'dns-nxdomain',
  'service-no-endpoints',
  'probe-failure',
  'etcd-slow-request',
  'apiserver-timeout',
  'apiserver-5xx',
  'kube-proxy-sync-failure',
  'eviction',
  'control-plane-crashloop',
  'component-start-failure',
  'node-registration-failure',
  'eviction-churn',
  'pod-rejected',
  'volume-mount-failure',
  'pod-sandbox-failure',
  'network-not-ready',
  'admission-webhook-failure',
  'tls-failure',
  'leader-election-lost',
  'pleg-not-healthy',
  'node-pressure',
  'apiserver-etcd-unreachable',
] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

/**
 * What an event is to an incident: the fault itself (trigger), what led to it (cause), what it
 * did to the rest of the cluster (effect), or the root object's story around it (evidence); their
 * one order is the store's (src/store/evidence-roles.ts).
 */
export type { EvidenceRole } from '../../store/evidence-roles.js';
export type ObjectRole = 'root' | 'affected';

/** One step of an incident's cause chain, in time order. */
export interface CauseStep {
  /** What happened ("node-not-ready", "eviction", "rescheduled", or an incident kind). */
  kind: string;
  /** The incident this step is, once written (set for steps that are incidents of their own). */
  incidentId?: number;
  objectUid: string | null;
  /** kind/namespace/name of the object, for reading without a join. */
  object: string;
  time: number;
  summary: string;
}

/** The root as the logs name it, kept even when no stored object matches. */
export interface RootRef {
  kind: string;
  namespace?: string | null;
  name?: string | null;
  uid?: string | null;
}

/** An incident as a rule proposes it. */
export interface Candidate {
  kind: IncidentKind;
  severity: Severity;
  start: number;
  end: number;
  root: ObjectRow | undefined;
  rootRef: RootRef;
  summary: string;
  /** Event id -> role. */
  evidence: Map<number, EvidenceRole>;
  /** Object ids affected besides the root. */
  affected: Set<number>;
  causeChain: CauseStep[];
  /** Rule-specific figures (restarts, failed queries, members...), written to details.counts. */
  counts: Record<string, number>;
  /** Anything else worth keeping in details (threshold met, client IP mapping...). */
  notes: Record<string, unknown>;
  /** Candidates merged into this one (kind, root, evidence count), for details.absorbed. */
  absorbed: { kind: IncidentKind; root: string; events: number }[];
}

export interface Rule {
  kind: IncidentKind;
  /** Severity of the incidents it reports (a rule may lower it for a weak case, never raise it). */
  severity: Severity;
  /** One line: what the rule looks for and its threshold. */
  describe: string;
  /** Candidates as they are decided (a pod rule yields each one built; detection spills it at once). */
  detect(view: StoreView): Iterable<Candidate>;
}

export interface DetectOptions {
  /** The rules to run (default: every rule of the registry). */
  rules?: readonly Rule[];
  /** Links weaker than this are ignored (default 0.5, the evaluation's threshold). */
  minConfidence?: number;
  /** Evidence rows kept per incident; the counts still tell the whole (default 20 000). */
  maxEvidence?: number;
}

export interface IncidentSummary {
  incidents: number;
  byKind: Partial<Record<IncidentKind, number>>;
  bySeverity: Partial<Record<Severity, number>>;
  /** Candidates folded into another incident (an eviction inside a node outage...). */
  absorbed: number;
  evidenceRows: number;
  /** Incidents whose root matches no stored object (their details still name it). */
  unresolvedRoots: number;
  /** False when the store has no objects: linking (src/correlate/link.ts) has not run. */
  linked: boolean;
  elapsedMs: number;
}
