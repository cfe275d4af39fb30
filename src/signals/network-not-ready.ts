/**
 * network-not-ready: the runtime says the pod network is not ready, so the kubelet can start no
 * pod that needs one: `"Container runtime network not ready" networkReady="NetworkReady=false
 * reason:NetworkPluginNotReady message:Network plugin returns error: no CNI configuration file in
 * /etc/kubernetes/cni/net.d/. Has your network provider started?"` (kubelet 1.2x; every 5 s),
 * before 1.20 `Container runtime network not ready: NetworkReady=false
 * reason:NetworkPluginNotReady message:docker: network plugin is not ready: cni config
 * uninitialized`. At boot it lasts until the network plugin's pod writes its configuration; the
 * rule decides what is too long. Facts: `reason`, `message` as stated.
 */
import { patternSignal } from './pattern.js';

const STATE = /^Container runtime network not ready:? NetworkReady=false reason:(?<reason>\w+) message:(?<message>[^]*?)\s*$/;

export const networkNotReady = patternSignal({
  name: 'network-not-ready',
  describe: 'the container runtime reports the pod network not ready (NetworkPluginNotReady, cni config uninitialized)',
  lines: [{ components: ['kubelet'], re: STATE, with: ['networkReady'] }],
});
