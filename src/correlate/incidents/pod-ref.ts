/**
 * Which pod a kubelet (or scheduler, or controller) line is about, from its fields: `pod="ns/name"`
 * with `podUID`/`podID`, or the older unstructured `name_namespace(uid)` form.
 */
import { legacyPodRef } from '../../signals/legacy-pod-ref.js';
import type { EventRow } from '../../store/incident-view.js';
import type { RootRef } from './types.js';

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

/** "ns/name" to its parts (a bare name has no namespace). */
export function splitNsName(text: string): { namespace: string | null; name: string } {
  const slash = text.indexOf('/');
  return slash > 0 ? { namespace: text.slice(0, slash), name: text.slice(slash + 1) } : { namespace: null, name: text };
}

/**
 * An object reference field as klog writes it: `pod="ns/name"` in text, `"pod":{"name":"x",
 * "namespace":"y"}` in klog JSON (`node="n"` / `"node":{"name":"n"}` for cluster-scoped ones).
 */
export function refField(v: unknown): { namespace: string | null; name: string } | undefined {
  if (typeof v === 'string') return v.length ? splitNsName(v) : undefined;
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    if (typeof o['name'] !== 'string' || !o['name']) return undefined;
    return { namespace: typeof o['namespace'] === 'string' && o['namespace'] ? o['namespace'] : null, name: o['name'] };
  }
  return undefined;
}

/** A cluster-scoped reference field's name (`node="n"`, `"node":{"name":"n"}`). */
export function nameField(v: unknown): string | undefined {
  return refField(v)?.name;
}

export function podRefOf(e: EventRow): RootRef | undefined {
  const pod = refField(e.fields['pod']);
  const uid = str(e.fields['podUID']) ?? str(e.fields['podID']);
  if (pod) return { kind: 'Pod', ...pod, uid: uid ?? null };
  // The older form is src/signals/'s to recognize.
  const legacy = legacyPodRef(e);
  if (legacy) return { kind: 'Pod', ...legacy };
  if (uid) return { kind: 'Pod', uid };
  return undefined;
}
