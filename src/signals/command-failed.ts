/**
 * command-failed: a Kubernetes component's main command returns an error and the process exits:
 * `"command failed" err="failed to parse service-account-issuer-key-file: open
 * /etc/kubernetes/pki/sa.key: no such file or directory"` (every component's cobra main), or
 * kube-proxy's `"Error running ProxyServer" err=...`. The scheduler's and controller-manager's
 * `err="finished without leader elect"` is how they end when stopped, and is not this signal.
 * Facts: `err` as stated.
 */
import { str, type Facts, type Signal } from './types.js';

const COMPONENTS = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kube-proxy', 'kubelet'];

export const commandFailed: Signal = {
  name: 'command-failed',
  components: COMPONENTS,
  describe: 'a component exits because its command failed (command failed, Error running ProxyServer)',
  match(e): Facts | undefined {
    if (e.severity < 3 || (e.message !== 'command failed' && e.message !== 'Error running ProxyServer')) return undefined;
    const err = str(e.fields['err']) ?? '';
    return err === 'finished without leader elect' ? undefined : { err };
  },
};
