/**
 * Probe failures, read once for probe-failure and service-no-endpoints: the kubelet's `"Probe
 * failed" probeType="Readiness" pod=... output=...` (older: `Readiness probe for
 * "name_ns(uid):container" failed (failure): output`), the Event `Unhealthy: Readiness probe
 * failed: ...`, and the readiness transitions `"SyncLoop (probe)" probe="readiness" status="not
 * ready"`. Tags: `readiness`, `liveness`, `startup`, and `not-ready` for the transitions; Events
 * carry `event-` in front, since they repeat what the kubelet lines say.
 */
import { asKubeEvent } from '../kube-events.js';
import { podSignalReader, type PodSignal } from '../pod-incidents.js';
import { podRefOf } from '../pod-ref.js';
import type { StoreView } from '../../../store/incident-view.js';

const cache = new WeakMap<StoreView, PodSignal[]>();

export function probeSignals(view: StoreView): PodSignal[] {
  const hit = cache.get(view);
  if (hit) return hit;
  const out: PodSignal[] = [];
  const podSignal = podSignalReader(view);
  for (const e of view.eachSignalled(['probe-failed', 'readiness-lost'])) {
    if (e.facts['event'] === true) {
      const k = asKubeEvent(view, e);
      if (k?.involved?.kind === 'Pod') out.push(podSignal(e, k.involved, 'trigger', `event-${String(e.facts['probe'])}`, k.count, k.text));
      continue;
    }
    const pod = podRefOf(e);
    if (!pod) continue;
    if (e.signal === 'readiness-lost') out.push(podSignal(e, pod, 'trigger', 'not-ready'));
    else out.push(podSignal(e, pod, 'trigger', String(e.facts['probe']), 1, String(e.facts['output'])));
  }
  out.sort((a, b) => a.event.time - b.event.time);
  cache.set(view, out);
  return out;
}
