/**
 * What apiserver-timeout.ts and apiserver-5xx.ts share: one apiserver instance failing requests. Root: that
 * apiserver's pod (the writer of its lines, else kubeadm's `kube-apiserver-<host>` static pod).
 * Signals (control-plane.ts): request lines answered 5xx, audit events with code >= 500, and the
 * apiserver's storage errors. 504s and "timed out" errors are timeouts; other 5xx are 5xx.
 *
 * Threshold: any apiserver fails a request now and then (a client that went away, a webhook's
 * hiccup). Five distinct failed requests (an HTTP line and the audit event of one request count
 * once) with no more than 60 s between them is a fault; below that, noise.
 */
import { addEvents, newCandidate } from '../candidate.js';
import { apiFailures, type ApiFailure } from '../control-plane.js';
import { SECOND, groupBy, splitByGap } from '../group.js';
import type { StoreView } from '../../../store/incident-view.js';
import type { Candidate, IncidentKind } from '../types.js';

const GAP = 60 * SECOND;
export const API_FAILURES_MIN = 5;

const cache = new WeakMap<StoreView, ApiFailure[]>();

function failures(view: StoreView): ApiFailure[] {
  let f = cache.get(view);
  if (!f) cache.set(view, (f = apiFailures(view)));
  return f;
}

export function detectApiFailures(view: StoreView, kind: IncidentKind, timeout: boolean): Candidate[] {
  const mine = failures(view).filter((f) => f.timeout === timeout);
  const out: Candidate[] = [];
  for (const [host, list] of groupBy(mine, (f) => f.host ?? '?')) {
    for (const run of splitByGap(list, GAP, (f) => f.event.time)) {
      const requests = new Set(run.map((f) => f.requestId)).size;
      if (requests < API_FAILURES_MIN) continue;
      const writer = run.map((f) => view.writer(f.event.id)).find((w) => w?.name?.startsWith('kube-apiserver'));
      const pod = writer ?? view.objectsNamed('Pod', 'kube-system', `kube-apiserver-${host}`)[0];
      const c = newCandidate(kind, 'error', pod, { kind: 'Pod', namespace: 'kube-system', name: pod?.name ?? `kube-apiserver-${host}` }, '');
      addEvents(c, run.map((f) => f.event), 'trigger');
      c.counts['requests'] = requests;
      c.summary = `${pod?.name ?? `apiserver on ${host}`}: ${requests} requests ${timeout ? 'timed out' : 'failed with 5xx'} in ${Math.max(1, Math.round((c.end - c.start) / SECOND))} s`;
      out.push(c);
    }
  }
  return out;
}
