/**
 * probe-failed: a kubelet probe of a container failed. The kubelet's `"Probe failed"
 * probeType="Readiness" pod=... output=...`, its older `Readiness probe for "name_ns(uid):c" failed
 * (failure): output`, or the Event `Unhealthy: Readiness probe failed: ...`.
 * Facts: `probe` (readiness, liveness, startup), `output`, `event` (true when read from an Event,
 * which repeats what the kubelet's lines say).
 */
import { EVENT_COMPONENTS, kubeEventOf } from './kube-event.js';
import { str, type Facts, type Signal } from './types.js';

const LEGACY = /^(Readiness|Liveness|Startup) probe for /;
const EVENT_TEXT = /^(Readiness|Liveness|Startup) probe (?:failed|errored)/;

export const probeFailed: Signal = {
  name: 'probe-failed',
  components: EVENT_COMPONENTS,
  describe: 'a liveness, readiness or startup probe failed (kubelet line or Unhealthy Event)',
  match(e): Facts | undefined {
    if (e.component === 'kubelet') {
      const type = e.message === 'Probe failed' ? str(e.fields['probeType']) : LEGACY.exec(e.message)?.[1];
      if (type) return { probe: type.toLowerCase(), output: str(e.fields['output']) ?? e.message };
    }
    const k = kubeEventOf(e);
    if (k?.reason !== 'Unhealthy') return undefined;
    const m = EVENT_TEXT.exec(k.text);
    return m ? { probe: m[1]!.toLowerCase(), output: k.text, event: true } : undefined;
  },
};
