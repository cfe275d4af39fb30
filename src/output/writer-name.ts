/**
 * The name shown for an event's writer. The seven cluster components are the model's own
 * (`component`); a line of anything else (containerd, CRI-O, dockerd, systemd, a CNI plugin) is
 * component `other`, and the name its envelope gave (journald identifier, container, compose
 * service, file) is kept in its `writer` field so that it can be shown instead of "other".
 */
import type { Component } from '../model/event.js';

export const WRITER_FIELD = 'writer';

/** What to show in a component column: the component, or for `other` the writer when known. */
export function shownComponent(e: { component: Component; fields: Record<string, unknown> }): string {
  if (e.component !== 'other') return e.component;
  const w = e.fields[WRITER_FIELD];
  return typeof w === 'string' && w ? w : 'other';
}
