/**
 * fatal-exit: a process says it is ending on a fatal error: a klog `F` line (`F1029 17:41:11.659284
 * 2129 daemon.go:46] Proxy exited open /proc/sys/net/netfilter/nf_conntrack_max: no such file or
 * directory`), etcd's `fatal`/`panic` level. The line that tells why a component crashed.
 * Facts: `text` (the message).
 */
import type { Facts, Signal } from './types.js';

const FATAL = 4; // SEVERITIES.indexOf('fatal')

export const fatalExit: Signal = {
  name: 'fatal-exit',
  components: ['kubelet', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kube-proxy', 'etcd', 'coredns', 'other'],
  describe: 'a component logs a fatal error and exits (klog F, etcd fatal/panic)',
  match(e): Facts | undefined {
    return e.severity >= FATAL ? { text: e.message } : undefined;
  },
};
