/**
 * The control plane failing its clients, as the apiserver and its clients log it: requests
 * answered 5xx (the apiserver's `"HTTP" ... resp=504` request lines, audit `responseStatus.code`),
 * the apiserver's own errors about its storage (`"Unhandled Error" err="... etcdserver: request
 * timed out"`, `Timeout: request did not complete within requested timeout`), and its clients'
 * failures (controller-manager and scheduler `error retrieving resource lock`, kubelet `Failed to
 * update lease`, list calls failing with etcd's errors). Shared by the apiserver rules and
 * etcd-leader-loss's effects.
 */
import type { EventRow, StoreView } from './store-view.js';

export interface ApiFailure {
  event: EventRow;
  /** The apiserver instance (its host). */
  host: string | null;
  /** 504, or an error that says the request timed out. */
  timeout: boolean;
  /** One request is one failure, whether its HTTP line, its audit event or both are stored. */
  requestId: string;
}

const TIMEOUT_TEXT = /request timed out|Timeout: request did not complete|context deadline exceeded|\bi\/o timeout\b/;
const STORAGE_TEXT = /etcdserver:|Timeout: request did not complete|context deadline exceeded|post-timeout activity/;

function code(v: unknown): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : 0;
}

function text(e: EventRow): string {
  const err = e.fields['err'];
  return typeof err === 'string' ? `${e.message} ${err}` : e.message;
}

export function apiFailures(view: StoreView, from = Number.MIN_SAFE_INTEGER, to = Number.MAX_SAFE_INTEGER): ApiFailure[] {
  // One query per shape, each an index range on (component, time); the LIKE on the JSON text skips
  // the JSON parse for the 2xx majority.
  const rows = [
    ...view.events(
      `e.component = 'kube-apiserver' AND e.time BETWEEN ? AND ? AND e.message = 'HTTP' AND e.fields LIKE '%"resp":5%'
       AND CAST(json_extract(e.fields, '$.resp') AS INTEGER) >= 500`,
      [from, to],
    ),
    ...view.events(
      `e.component = 'audit' AND e.time BETWEEN ? AND ? AND e.fields LIKE '%"code":5%' AND CAST(json_extract(e.fields, '$.code') AS INTEGER) >= 500`,
      [from, to],
    ),
    ...view.events(
      `e.component = 'kube-apiserver' AND e.time BETWEEN ? AND ? AND e.severity >= 3 AND (e.message LIKE '%etcdserver:%'
       OR e.fields LIKE '%etcdserver:%' OR e.message LIKE 'Timeout: request did not complete%' OR e.message LIKE '%post-timeout activity%')`,
      [from, to],
    ),
  ].sort((a, b) => a.time - b.time || a.id - b.id);
  const out: ApiFailure[] = [];
  for (const e of rows) {
    if (e.component === 'kube-apiserver' && e.message === 'HTTP') {
      const id = e.fields['audit-ID'];
      out.push({ event: e, host: e.host, timeout: code(e.fields['resp']) === 504, requestId: typeof id === 'string' ? id : `e${e.id}` });
    } else if (e.component === 'audit') {
      const id = e.fields['auditID'];
      out.push({ event: e, host: e.host, timeout: code(e.fields['code']) === 504, requestId: typeof id === 'string' ? id : `e${e.id}` });
    } else {
      const t = text(e);
      if (!STORAGE_TEXT.test(t)) continue;
      out.push({ event: e, host: e.host, timeout: TIMEOUT_TEXT.test(t), requestId: `e${e.id}` });
    }
  }
  return out;
}

/**
 * The apiserver's clients failing because it cannot answer: lease renewals and node status
 * updates that time out, and list/watch calls that come back with etcd's errors
 * (`failed to list *v1.Pod: etcdserver: leader changed`).
 */
export function clientFailures(view: StoreView, from: number, to: number): EventRow[] {
  return view.events(
    `e.time BETWEEN ? AND ? AND e.severity >= 2 AND (
       (e.component IN ('kube-controller-manager', 'kube-scheduler') AND (e.message LIKE 'error retrieving resource lock%'
          OR e.message LIKE 'failed to renew lease%' OR e.message LIKE '%leaderelection lost%'))
       OR (e.component = 'kubelet' AND (e.message = 'Failed to update lease' OR e.message LIKE 'Error updating node status%'))
       OR (e.component IN ('kube-controller-manager', 'kube-scheduler', 'kubelet', 'kube-proxy')
           AND (e.message LIKE '%etcdserver:%' OR e.fields LIKE '%etcdserver:%')))`,
    [from, to],
  );
}
