/**
 * pod-sandbox-failed: the runtime could not create a pod's sandbox, most often because the CNI
 * plugin failed to set up its network: the kubelet's `"Failed to create sandbox for pod"
 * err="rpc error: code = Unknown desc = failed to setup network for sandbox \"ccf2...\": plugin
 * type=\"calico\" failed (add): stat /var/lib/calico/nodename: no such file or directory"
 * pod="kube-system/coredns-..."`, and the Event `FailedCreatePodSandBox: Failed to create pod
 * sandbox: ...`. (The runtime logs the same failure, and the kubelet three more times: those
 * lines repeat this one and are not counted.) Facts: `err` (without the gRPC wrapping), `plugin`
 * when a CNI plugin is named, `network` when the network setup failed.
 */
import { patternSignal } from './pattern.js';
import type { Facts } from './types.js';

const NETWORK = /failed to (?:setup|set up|create pod) network|NetworkPlugin|\bCNI\b|network plugin/;
const PLUGIN = /plugin type=\\*"([\w.-]{1,64})\\*"/;

function details(text: string): Facts {
  const out: Facts = { err: text.replace(/^.*?(?:rpc error: code = \w+ desc = )/s, '') };
  if (NETWORK.test(text)) out['network'] = true;
  const plugin = PLUGIN.exec(text)?.[1];
  if (plugin) out['plugin'] = plugin;
  return out;
}

export const podSandboxFailed = patternSignal({
  name: 'pod-sandbox-failed',
  describe: "the runtime could not create a pod's sandbox (CNI network setup failures): the kubelet's line and the FailedCreatePodSandBox Event",
  lines: [{ components: ['kubelet'], minSeverity: 3, re: /^Failed to create sandbox for pod\b/, fields: { pod: 'pod' }, extra: details }],
  events: [{ reason: /^FailedCreatePodSandBox$/, extra: details }],
});
