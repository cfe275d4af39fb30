/**
 * Kubernetes Events as the rules see them: a row that states a signal through an Event (its facts
 * say `event: true`) read as one shape, with the object the Event is involved with. Which lines
 * hold an Event, and its reason and text, is signals/kube-event.ts's to say (Event documents and
 * the recorders' `"Event occurred"` lines); this adds what only the store knows: the involved
 * object's reference as the parser found it, and an aggregated Event's count.
 */
import { refField } from './pod-ref.js';
import { kubeEventOf } from '../../signals/kube-event.js';
import type { EventRow, StoreView } from '../../store/incident-view.js';
import type { RootRef } from './types.js';

export interface KubeEvent {
  row: EventRow;
  reason: string;
  type: string | undefined;
  /** The Event's own message (without the "Reason: " the document reader puts in front). */
  text: string;
  /** How many times the Event happened (aggregated Events carry a count). */
  count: number;
  involved: RootRef | undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

export function asKubeEvent(view: StoreView, row: EventRow): KubeEvent | undefined {
  const k = kubeEventOf(row);
  if (!k) return undefined;
  const type = str(row.fields['type']);
  if (row.component === 'event') {
    const refs = view.refs(row.id);
    const ref = refs.find((r) => r.key === 'involvedObject' || r.key === 'regarding') ?? refs[0];
    const count = typeof row.fields['count'] === 'number' ? (row.fields['count'] as number) : 1;
    return {
      row,
      reason: k.reason,
      type,
      text: k.text,
      count: Math.max(1, count),
      involved: ref ? { kind: ref.kind, namespace: ref.namespace, name: ref.name, uid: ref.uid } : undefined,
    };
  }
  const object = refField(row.fields['object']);
  const kind = str(row.fields['kind']);
  const involved: RootRef | undefined = object && kind ? { kind, ...object } : undefined;
  return { row, reason: k.reason, type, text: k.text, count: 1, involved };
}
