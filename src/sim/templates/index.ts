/** Every template module, so that `allTemplates()` lists them all once this is imported. */
export { KUBELET } from './kubelet.js';
export { APISERVER } from './apiserver.js';
export { SCHEDULER } from './scheduler.js';
export { CONTROLLER_MANAGER } from './controller-manager.js';
export { KUBE_PROXY } from './kube-proxy.js';
export { ETCD } from './etcd.js';
export { COREDNS } from './coredns.js';
export { CONTAINERD } from './containerd.js';
export { SYSTEMD } from './systemd.js';
export { CLIENT_GO } from './client-go.js';
export { EVENTS } from './events.js';
export { allTemplates } from './define.js';
