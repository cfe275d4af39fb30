/**
 * readiness-lost: the kubelet marks a container not ready after its readiness probe failed:
 * `"SyncLoop (probe)" probe="readiness" status="not ready"`.
 */
import type { Facts, Signal } from './types.js';

export const readinessLost: Signal = {
  name: 'readiness-lost',
  components: ['kubelet'],
  describe: 'the kubelet turns a container not ready (SyncLoop (probe) readiness not ready)',
  match(e): Facts | undefined {
    if (e.component !== 'kubelet' || e.message !== 'SyncLoop (probe)') return undefined;
    return e.fields['probe'] === 'readiness' && e.fields['status'] === 'not ready' ? {} : undefined;
  },
};
