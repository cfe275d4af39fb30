/**
 * readiness-lost: the kubelet marks a container not ready after its readiness probe failed:
 * `"SyncLoop (probe)" probe="readiness" status="not ready"`.
 */
import { componentSignal } from './types.js';

export const readinessLost = componentSignal('readiness-lost', 'kubelet', 'the kubelet turns a container not ready (SyncLoop (probe) readiness not ready)', (e) =>
  e.message === 'SyncLoop (probe)' && e.fields['probe'] === 'readiness' && e.fields['status'] === 'not ready' ? {} : undefined,
);
