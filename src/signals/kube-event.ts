/**
 * Kubernetes Events as signals read them: Event documents (`kubectl get events`, component
 * "event", message "Reason: text") and the `"Event occurred" object=... reason=... message=...`
 * lines that the controller-manager, the scheduler and the kubelet write as they record one.
 */
import { str, type SignalInput } from './types.js';

/** Components whose "Event occurred" lines record an Event. */
export const EVENT_RECORDERS = ['kube-controller-manager', 'kube-scheduler', 'kubelet'] as const;
/** Every component an Event can be read from. */
export const EVENT_COMPONENTS: readonly string[] = ['event', ...EVENT_RECORDERS];

export interface EventFacts {
  reason: string;
  /** The Event's own message (without the "Reason: " the document reader puts in front). */
  text: string;
  /** The kind of object the Event is about, when the line says it. */
  kind: string | undefined;
}

/** The Event a line holds, or undefined when it holds none. */
export function kubeEventOf(e: SignalInput): EventFacts | undefined {
  const reason = str(e.fields['reason']);
  if (!reason) return undefined;
  if (e.component === 'event') {
    const prefix = `${reason}: `;
    const text = e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message;
    return { reason, text, kind: str(e.fields['involvedKind']) ?? str(e.fields['kind']) };
  }
  if (!(EVENT_RECORDERS as readonly string[]).includes(e.component) || e.message !== 'Event occurred') return undefined;
  return { reason, text: str(e.fields['message']) ?? '', kind: str(e.fields['kind']) };
}
