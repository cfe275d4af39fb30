/**
 * Kubernetes Events, wherever the logs hold them: Event documents (`kubectl get events`, component
 * "event", message "Reason: text") and the `"Event occurred" object=... reason=...` lines that
 * the controller-manager, the scheduler and the kubelet write as they record one. Rules ask by
 * reason and get one shape back, with the involved object.
 */
import { refField } from './pod-ref.js';
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

/** Components whose "Event occurred" lines are looked at (the ones that record Events). */
const RECORDERS = ['kube-controller-manager', 'kube-scheduler', 'kubelet'];

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

export function asKubeEvent(view: StoreView, row: EventRow): KubeEvent | undefined {
  const reason = str(row.fields['reason']);
  if (!reason) return undefined;
  if (row.component === 'event') {
    const prefix = `${reason}: `;
    const text = row.message.startsWith(prefix) ? row.message.slice(prefix.length) : row.message;
    const ref = view.refs(row.id).find((r) => r.key === 'involvedObject' || r.key === 'regarding') ?? view.refs(row.id)[0];
    const count = typeof row.fields['count'] === 'number' ? (row.fields['count'] as number) : 1;
    return {
      row,
      reason,
      type: str(row.fields['type']),
      text,
      count: Math.max(1, count),
      involved: ref ? { kind: ref.kind, namespace: ref.namespace, name: ref.name, uid: ref.uid } : undefined,
    };
  }
  if (row.message !== 'Event occurred') return undefined;
  const object = refField(row.fields['object']);
  const kind = str(row.fields['kind']);
  const involved: RootRef | undefined = object && kind ? { kind, ...object } : undefined;
  return { row, reason, type: str(row.fields['type']), text: str(row.fields['message']) ?? '', count: 1, involved };
}

/** Every Event with one of these reasons, in time order. */
export function kubeEventsWithReason(view: StoreView, reasons: readonly string[]): KubeEvent[] {
  if (reasons.length === 0) return [];
  const marks = reasons.map(() => '?').join(', ');
  const rows = view.events(
    `(e.component = 'event' AND json_extract(e.fields, '$.reason') IN (${marks}))
     OR (e.component IN (${RECORDERS.map(() => '?').join(', ')}) AND e.message = 'Event occurred'
         AND json_extract(e.fields, '$.reason') IN (${marks}))`,
    [...reasons, ...RECORDERS, ...reasons],
  );
  const out: KubeEvent[] = [];
  for (const row of rows) {
    const k = asKubeEvent(view, row);
    if (k) out.push(k);
  }
  return out;
}
