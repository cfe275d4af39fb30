/**
 * Probe failures, read once for probe-failure and service-no-endpoints: the kubelet's `"Probe
 * failed" probeType="Readiness" pod=... output=...` (older: `Readiness probe for
 * "name_ns(uid):container" failed (failure): output`), the Event `Unhealthy: Readiness probe
 * failed: ...`, and the readiness transitions `"SyncLoop (probe)" probe="readiness" status="not
 * ready"`. Tags: `readiness`, `liveness`, `startup`, and `not-ready` for the transitions; Events
 * carry `event-` in front, since they repeat what the kubelet lines say.
 */
import { kubeEventsWithReason } from '../kube-events.js';
import { podSignal, type PodSignal } from '../pod-incidents.js';
import { podRefOf } from '../pod-ref.js';
import type { StoreView } from '../store-view.js';

const LEGACY = /^(Readiness|Liveness|Startup) probe for /;
const EVENT_TEXT = /^(Readiness|Liveness|Startup) probe (?:failed|errored)/;

const cache = new WeakMap<StoreView, PodSignal[]>();

export function probeSignals(view: StoreView): PodSignal[] {
  const hit = cache.get(view);
  if (hit) return hit;
  const out: PodSignal[] = [];
  for (const e of view.events(
    `e.component = 'kubelet' AND (e.message = 'Probe failed' OR e.message LIKE '% probe for %' OR e.message = 'SyncLoop (probe)')`,
  )) {
    const pod = podRefOf(e);
    if (!pod) continue;
    if (e.message === 'SyncLoop (probe)') {
      if (e.fields['probe'] === 'readiness' && e.fields['status'] === 'not ready') out.push(podSignal(view, e, pod, 'trigger', 'not-ready'));
      continue;
    }
    const type = typeof e.fields['probeType'] === 'string' ? (e.fields['probeType'] as string) : LEGACY.exec(e.message)?.[1];
    if (!type) continue;
    const output = typeof e.fields['output'] === 'string' ? (e.fields['output'] as string) : e.message;
    out.push(podSignal(view, e, pod, 'trigger', type.toLowerCase(), 1, output));
  }
  for (const k of kubeEventsWithReason(view, ['Unhealthy'])) {
    if (k.involved?.kind !== 'Pod') continue;
    const m = EVENT_TEXT.exec(k.text);
    if (m) out.push(podSignal(view, k.row, k.involved, 'trigger', `event-${m[1]!.toLowerCase()}`, k.count, k.text));
  }
  out.sort((a, b) => a.event.time - b.event.time);
  cache.set(view, out);
  return out;
}
