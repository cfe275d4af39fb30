/**
 * What a user means by an object on the command line or in the TUI: `pod/ns/name`, `ns/name`,
 * `node/name`, a bare node name, or a UID. Returns the matching stored objects (several when a
 * name was reused: each UID is its own object).
 */
import type { ObjectQueries, StoredObject } from '../store/store.js';

export type { StoredObject } from '../store/store.js';

const UID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$|^[0-9a-f]{32}$/i;

export function describeObject(o: Pick<StoredObject, 'kind' | 'namespace' | 'name' | 'uid'>): string {
  const name = o.namespace ? `${o.namespace}/${o.name ?? '?'}` : (o.name ?? '?');
  return `${o.kind.toLowerCase()}/${name}`;
}

export function resolveObjectRef(objects: ObjectQueries, ref: string): StoredObject[] {
  const text = ref.trim();
  if (UID.test(text)) return objects.byUid(text.toLowerCase());
  const parts = text.split('/');
  if (parts.length === 3) return objects.byName(parts[0]!, parts[1]!, parts[2]!);
  if (parts.length === 2) {
    // kind/name (cluster-scoped: node/worker-1) or ns/name (a namespaced object of any kind).
    const asKind = objects.byName(parts[0]!, null, parts[1]!);
    if (asKind.length) return asKind;
    const any = objects.byName(null, parts[0]!, parts[1]!);
    // "ns/name" most often means a pod; prefer it when several kinds share the name.
    const pods = any.filter((o) => o.kind === 'Pod');
    return pods.length ? pods : any;
  }
  if (parts.length === 1) return objects.byName('Node', null, text);
  return [];
}
