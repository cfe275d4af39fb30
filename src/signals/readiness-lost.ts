/**
 * readiness-lost: the kubelet marks a container not ready after its readiness probe failed:
 * `"SyncLoop (probe)" probe="readiness" status="not ready"` (kubelet 1.22 on), and the same
 * transition as kubelet 1.21 logs it, with an empty status: `probe="readiness" status=""` (its
 * code sets "ready" or nothing). Liveness and startup transitions (`status="unhealthy"`,
 * `"started"`) are not readiness.
 */
import type { Facts, Signal } from './types.js';

const NOT_READY = new Set(['not ready', '']);

export const readinessLost: Signal = {
  name: 'readiness-lost',
  components: ['kubelet'],
  describe: 'the kubelet turns a container not ready (SyncLoop (probe) readiness "not ready", or "" in 1.21)',
  match(e): Facts | undefined {
    if (e.component !== 'kubelet' || e.message !== 'SyncLoop (probe)') return undefined;
    const status = e.fields['status'];
    return e.fields['probe'] === 'readiness' && typeof status === 'string' && NOT_READY.has(status) ? {} : undefined;
  },
};
