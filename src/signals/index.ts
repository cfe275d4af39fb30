/**
 * Every signal, by name: the facts incident rules are made of. A rule asks the store for the
 * events that state a signal (src/store/signals.ts computes them once per correlate pass, into
 * event_signals); it never matches log text itself. Adding a signal is one module here and one
 * line in SIGNALS.
 */
import { apiserver5xx } from './apiserver-5xx.js';
import { apiserverStorageError } from './apiserver-storage-error.js';
import { backOffRestarting } from './back-off-restarting.js';
import { commandFailed } from './command-failed.js';
import { containerDied } from './container-died.js';
import { containerKilled } from './container-killed.js';
import { controlPlaneClientFailure } from './control-plane-client-failure.js';
import { dnsNxdomain, dnsServfail } from './dns-answer.js';
import { dnsUpstreamError } from './dns-upstream-error.js';
import { etcdElection } from './etcd-election.js';
import { etcdLeaderLost } from './etcd-leader-lost.js';
import { etcdSlowRequest } from './etcd-slow-request.js';
import { etcdUnreachable } from './etcd-unreachable.js';
import { failedScheduling } from './failed-scheduling.js';
import { fatalExit } from './fatal-exit.js';
import { imagePullFailed } from './image-pull-failed.js';
import { leaderElectionLost } from './leader-election-lost.js';
import { kubeProxySyncFailed } from './kube-proxy-sync-failed.js';
import { networkNotReady } from './network-not-ready.js';
import { nodeNotReady } from './node-not-ready.js';
import { nodeGoingDown } from './node-going-down.js';
import { nodePressure } from './node-pressure.js';
import { nodeRegistrationFailed } from './node-registration-failed.js';
import { objectDeleted } from './object-deleted.js';
import { oomKilled } from './oom-killed.js';
import { plegUnhealthy } from './pleg-unhealthy.js';
import { podCidr } from './pod-cidr.js';
import { podEvicted } from './pod-evicted.js';
import { podIp } from './pod-ip.js';
import { podMarkedNotReady } from './pod-marked-not-ready.js';
import { podRejected } from './pod-rejected.js';
import { podSandboxFailed } from './pod-sandbox-failed.js';
import { podSandboxRequested } from './pod-sandbox-requested.js';
import { podScheduled } from './pod-scheduled.js';
import { probeFailed } from './probe-failed.js';
import { proxyRulesSynced } from './proxy-rules-synced.js';
import { readinessLost } from './readiness-lost.js';
import { tlsFailure } from './tls-failure.js';
import { volumeMountFailed } from './volume-mount-failed.js';
import { webhookFailed } from './webhook-failed.js';
import { systemdRestartScheduled, systemdStartLimit, systemdUnitFailed } from './systemd-unit.js';
import type { Facts, Signal, SignalInput } from './types.js';

export type { Facts, Signal, SignalInput } from './types.js';

export const SIGNALS = [
  probeFailed,
  readinessLost,
  backOffRestarting,
  containerDied,
  containerKilled,
  oomKilled,
  imagePullFailed,
  failedScheduling,
  podScheduled,
  podEvicted,
  nodeNotReady,
  etcdLeaderLost,
  etcdElection,
  etcdSlowRequest,
  apiserver5xx,
  apiserverStorageError,
  controlPlaneClientFailure,
  dnsUpstreamError,
  dnsServfail,
  dnsNxdomain,
  systemdUnitFailed,
  systemdRestartScheduled,
  systemdStartLimit,
  fatalExit,
  commandFailed,
  nodeRegistrationFailed,
  podRejected,
  volumeMountFailed,
  podSandboxFailed,
  networkNotReady,
  webhookFailed,
  tlsFailure,
  leaderElectionLost,
  plegUnhealthy,
  nodePressure,
  etcdUnreachable,
  kubeProxySyncFailed,
  // Context the rules look up around a fault: which pod held an IP, when a pod ended, what a
  // node outage did to its pods.
  podIp,
  podCidr,
  podSandboxRequested,
  podMarkedNotReady,
  objectDeleted,
  nodeGoingDown,
  proxyRulesSynced,
] as const satisfies readonly Signal[];

/** A signal's name (the store rejects names no signal has). */
export type SignalName = string;

export const SIGNAL_NAMES: ReadonlySet<string> = new Set(SIGNALS.map((s) => s.name));

/** The components any signal reads (the store skips the others' lines). */
export const SIGNAL_COMPONENTS: readonly string[] = [...new Set(SIGNALS.flatMap((s) => s.components))].sort();

/** The signals that are context for the rules' look-ups (Signal.context), not evidence. */
export const CONTEXT_SIGNALS: ReadonlySet<string> = new Set(SIGNALS.filter((s: Signal) => s.context === true).map((s) => s.name));

/** Every signal a line states, with its facts. */
export function recognize(e: SignalInput): { name: SignalName; facts: Facts }[] {
  const out: { name: SignalName; facts: Facts }[] = [];
  for (const s of SIGNALS) {
    if (!s.components.includes(e.component)) continue;
    const facts = s.match(e);
    if (facts) out.push({ name: s.name, facts });
  }
  return out;
}

/** The registry as the store's signals pass takes it (src/store/signals.ts, SignalRegistry). */
export const SIGNAL_REGISTRY = { recognize, components: SIGNAL_COMPONENTS, names: SIGNAL_NAMES };

/** The signals a line states that make it evidence: every one but the context look-ups. */
export function evidenceSignals(e: SignalInput): { name: SignalName; facts: Facts }[] {
  return recognize(e).filter((s) => !CONTEXT_SIGNALS.has(s.name));
}
