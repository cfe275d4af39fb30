/**
 * oom-killed: the kernel's OOM killer ended a container, as the kubelet reports it (a status or
 * container line that says `OOMKilled`), or the Event `OOMKilled`. Sync errors and PLEG lines are
 * the other signals' (a sync error quoting an earlier OOMKilled state is not a new kill).
 */
import { EVENT_COMPONENTS, kubeEventOf } from './kube-event.js';
import type { Facts, Signal } from './types.js';

function mentionsOom(fields: Record<string, unknown>): boolean {
  for (const v of Object.values(fields)) {
    if (typeof v === 'string' ? v.includes('OOMKilled') : v !== null && typeof v === 'object' && JSON.stringify(v).includes('OOMKilled')) return true;
  }
  return false;
}

export const oomKilled: Signal = {
  name: 'oom-killed',
  components: EVENT_COMPONENTS,
  describe: 'the OOM killer ended a container (a kubelet line saying OOMKilled, or an OOMKilled Event)',
  match(e): Facts | undefined {
    const k = kubeEventOf(e);
    if (k) return k.reason === 'OOMKilled' ? { event: true } : undefined;
    if (e.component !== 'kubelet') return undefined;
    if (e.message.startsWith('Error syncing pod') || e.message === 'Generic (PLEG): container finished' || e.message.startsWith('Killing container with a grace period')) return undefined;
    return e.message.includes('OOMKilled') || mentionsOom(e.fields) ? {} : undefined;
  },
};
