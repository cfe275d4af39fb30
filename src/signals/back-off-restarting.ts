/**
 * back-off-restarting: the kubelet holds back a container that keeps failing (CrashLoopBackOff):
 * `"Error syncing pod, skipping" err="failed to \"StartContainer\" for \"c\" with CrashLoopBackOff:
 * \"back-off 20s restarting failed container=c ...\""`, or the Event `BackOff: Back-off restarting
 * failed container`. Facts: `backoffSeconds` (the delay the line names; 20 s or more means at least
 * two failures in a row; 0 when the line names none).
 */
import { EVENT_COMPONENTS, kubeEventOf } from './kube-event.js';
import { str, type Facts, type Signal } from './types.js';

// A Go duration as the kubelet prints it: 10s, 1m20s, 5m0s.
const BACKOFF_DELAY = /back-off (?:(\d+)m)?(?:(\d+(?:\.\d+)?)s)? restarting failed container/;

/** The back-off delay (seconds) a CrashLoopBackOff error names, or 0. */
export function backoffSeconds(err: string): number {
  const m = BACKOFF_DELAY.exec(err);
  if (!m) return 0;
  return Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0);
}

export const backOffRestarting: Signal = {
  name: 'back-off-restarting',
  components: EVENT_COMPONENTS,
  describe: 'CrashLoopBackOff: the kubelet backs off restarting a failed container (sync error or BackOff Event)',
  match(e): Facts | undefined {
    if (e.component === 'kubelet' && e.message.startsWith('Error syncing pod')) {
      const err = str(e.fields['err']) ?? e.message;
      return err.includes('CrashLoopBackOff') ? { backoffSeconds: backoffSeconds(err) } : undefined;
    }
    const k = kubeEventOf(e);
    return k?.reason === 'BackOff' && k.text.startsWith('Back-off restarting failed container') ? { backoffSeconds: 0, event: true } : undefined;
  },
};
