/**
 * Every incident rule, in the order they run. Order does not change what is found (rules read the
 * store independently); the merge step (absorb.ts) decides what folds into what.
 */
import { apiserver5xxRule } from './rules/apiserver-5xx.js';
import { apiserverTimeoutRule } from './rules/apiserver-timeout.js';
import { componentStartFailureRule } from './rules/component-start-failure.js';
import { controlPlaneCrashloopRule } from './rules/control-plane-crashloop.js';
import { crashloopRule } from './rules/crashloop.js';
import { dnsNxdomainRule } from './rules/dns-nxdomain.js';
import { dnsUpstreamTimeoutRule } from './rules/dns-upstream-timeout.js';
import { etcdLeaderLossRule } from './rules/etcd-leader-loss.js';
import { etcdSlowRequestRule } from './rules/etcd-slow-request.js';
import { evictionRule } from './rules/eviction.js';
import { evictionChurnRule } from './rules/eviction-churn.js';
import { imagePullBackoffRule } from './rules/image-pull-backoff.js';
import { kubeProxySyncFailureRule } from './rules/kube-proxy-sync-failure.js';
import { nodeNotReadyRule } from './rules/node-not-ready.js';
import { nodeRegistrationFailureRule } from './rules/node-registration-failure.js';
import { oomKillRule } from './rules/oom-kill.js';
import { podRejectedRule } from './rules/pod-rejected.js';
import { probeFailureRule } from './rules/probe-failure.js';
import { serviceNoEndpointsRule } from './rules/service-no-endpoints.js';
import { unschedulableRule } from './rules/unschedulable.js';
import { admissionWebhookFailureRule } from './rules/admission-webhook-failure.js';
import { apiserverEtcdUnreachableRule } from './rules/apiserver-etcd-unreachable.js';
import { leaderElectionLostRule } from './rules/leader-election-lost.js';
import { networkNotReadyRule } from './rules/network-not-ready.js';
import { nodePressureRule } from './rules/node-pressure.js';
import { plegNotHealthyRule } from './rules/pleg-not-healthy.js';
import { podSandboxFailureRule } from './rules/pod-sandbox-failure.js';
import { tlsFailureRule } from './rules/tls-failure.js';
import { volumeMountFailureRule } from './rules/volume-mount-failure.js';
import type { Rule } from './types.js';

export const RULES: readonly Rule[] = [
  imagePullBackoffRule,
  crashloopRule,
  oomKillRule,
  unschedulableRule,
  nodeNotReadyRule,
  etcdLeaderLossRule,
  dnsUpstreamTimeoutRule,
  dnsNxdomainRule,
  serviceNoEndpointsRule,
  probeFailureRule,
  etcdSlowRequestRule,
  apiserverTimeoutRule,
  apiserver5xxRule,
  kubeProxySyncFailureRule,
  evictionRule,
  controlPlaneCrashloopRule,
  componentStartFailureRule,
  nodeRegistrationFailureRule,
  evictionChurnRule,
  podRejectedRule,
  volumeMountFailureRule,
  podSandboxFailureRule,
  networkNotReadyRule,
  admissionWebhookFailureRule,
  tlsFailureRule,
  leaderElectionLostRule,
  plegNotHealthyRule,
  nodePressureRule,
  apiserverEtcdUnreachableRule,
];
