/**
 * Links for events that name no object: an apiserver timeout without a URI, an etcd "request
 * timed out" or "leader failed to send out heartbeat". They are linked to what they plausibly
 * affected: the objects of the requests that failed (audit events with a 5xx code) within a short
 * window around them, on the evidence of time alone. Such links are marked `inferred-time`, with a
 * confidence below what the views and the evaluation count as a link (0.5), so they never pass for
 * a fact; the TUI's detail pane and `sql` show them.
 */
import type { CorrelationStore } from '../store/correlation.js';
import type { LinkFn } from './link-types.js';

/** How far apart a failure and the requests it plausibly failed may be. */
const WINDOW_MICROS = 2_000_000;
export const INFERRED_CONFIDENCE = 0.3;
/** A failure that coincides with more failed requests than this says nothing about any one of them. */
const MAX_AFFECTED = 20;

/** `isObject`: whether the linker made the object of an id (its index's, in the cluster being linked). */
export function linkByTime(store: CorrelationStore, isObject: (id: number) => boolean, link: LinkFn): number {
  // Warnings and errors of etcd and the apiserver that carry no reference at all.
  const orphans = store.objectlessFailures();
  if (orphans.length === 0) return 0;
  // Requests that failed on the server side, with the objects the linker gave them.
  const failed = store.failedRequestObjects(0.5);
  let made = 0;
  let lo = 0;
  for (const o of orphans) {
    while (lo < failed.length && failed[lo]!.time < o.time - WINDOW_MICROS) lo++;
    const affected = new Set<number>();
    for (let i = lo; i < failed.length && failed[i]!.time <= o.time + WINDOW_MICROS; i++) affected.add(failed[i]!.objectId);
    if (affected.size === 0 || affected.size > MAX_AFFECTED) continue;
    for (const id of affected) {
      if (!isObject(id)) continue;
      link(o.id, o.time, id, 'inferred-time', INFERRED_CONFIDENCE);
      made++;
    }
  }
  return made;
}
