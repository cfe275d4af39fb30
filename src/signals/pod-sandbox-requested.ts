/**
 * pod-sandbox-requested: the container runtime is asked to create a pod's sandbox, containerd's
 * `msg="RunPodSandbox for &PodSandboxMetadata{Name:coredns-668d6bf9bc-5x2lp,Uid:3b0c...,
 * Namespace:kube-system,Attempt:0,}"`. Not its answer, the same text followed by ` returns sandbox
 * id "..."` or, when the CNI plugin failed, ` failed, error` (that sandbox took no address). The order of these requests on a node is the order its pods took their addresses
 * (src/correlate/incidents/pod-ips.ts). Facts: `name`, `uid`, `namespace`, `attempt`.
 */
import { componentSignal, presentFacts, type Signal } from './types.js';

// The whole message is the request: its answer goes on (` returns sandbox id "..."`, ` failed, error`).
const REQUEST = /^RunPodSandbox for &PodSandboxMetadata\{Name:([^,]{1,253}),Uid:([0-9a-f-]{32,36}),Namespace:([^,]{1,63}),(?:Attempt:(\d{1,9}),)?[^}]{0,200}\}$/;

// containerd is no Kubernetes component: the parsers file its lines under 'other'.
export const podSandboxRequested: Signal = {
  context: true,
  ...componentSignal('pod-sandbox-requested', 'other', "containerd asked to create a pod's sandbox (RunPodSandbox for &PodSandboxMetadata{...}, not its answer)", (e) => {
    const m = REQUEST.exec(e.message);
    if (!m) return undefined;
    return presentFacts({ name: m[1]!, uid: m[2]!, namespace: m[3]!, attempt: m[4] === undefined ? undefined : Number(m[4]) });
  }),
};
