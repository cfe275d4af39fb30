/**
 * The control plane failing its clients, as the apiserver and its clients log it: requests
 * answered 5xx (the apiserver's `"HTTP" ... resp=504` request lines, audit `responseStatus.code`),
 * the apiserver's own errors about its storage (`"Unhandled Error" err="... etcdserver: request
 * timed out"`, `Timeout: request did not complete within requested timeout`), and its clients'
 * failures (controller-manager and scheduler `error retrieving resource lock`, kubelet `Failed to
 * update lease`, list calls failing with etcd's errors). Shared by the apiserver rules and
 * etcd-leader-loss's effects.
 */
import type { EventRow, StoreView } from '../../store/incident-view.js';

export interface ApiFailure {
  event: EventRow;
  /** The apiserver instance (its host). */
  host: string | null;
  /** 504, or an error that says the request timed out. */
  timeout: boolean;
  /** One request is one failure, whether its HTTP line, its audit event or both are stored. */
  requestId: string;
}

export function apiFailures(view: StoreView, from = Number.MIN_SAFE_INTEGER, to = Number.MAX_SAFE_INTEGER): ApiFailure[] {
  const out: ApiFailure[] = [];
  for (const e of view.signalled(['apiserver-5xx', 'apiserver-storage-error'], from, to)) {
    const id = e.facts['requestId'];
    out.push({ event: e, host: e.host, timeout: e.facts['timeout'] === true, requestId: typeof id === 'string' ? id : `e${e.id}` });
  }
  return out;
}

/**
 * The apiserver's clients failing because it cannot answer: lease renewals and node status
 * updates that time out, and list/watch calls that come back with etcd's errors
 * (`failed to list *v1.Pod: etcdserver: leader changed`).
 */
export function clientFailures(view: StoreView, from: number, to: number): EventRow[] {
  return view.signalled(['control-plane-client-failure'], from, to);
}
