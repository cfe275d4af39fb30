/**
 * What a user means by an object on the command line or in the TUI: `pod/ns/name`, `ns/name`,
 * `node/name`, a bare node name, or a UID. Returns the matching stored objects (several when a
 * name was reused: each UID is its own object).
 */
import type { NameMatchCount, ObjectQueries, StoredObject } from '../store/store.js';

export type { StoredObject } from '../store/store.js';

const UID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$|^[0-9a-f]{32}$/i;

export function describeObject(o: Pick<StoredObject, 'kind' | 'namespace' | 'name' | 'uid'>): string {
  const name = o.namespace ? `${o.namespace}/${o.name ?? '?'}` : (o.name ?? '?');
  return `${o.kind.toLowerCase()}/${name}`;
}

/** The objects a reference matched (oldest first), how many there are, and the span of their first sightings. */
export interface ResolvedRef extends NameMatchCount {
  objects: StoredObject[];
}

/** A name lookup: kind (null: any), namespace (null: any, with a kind), name. */
type NameKey = readonly [kind: string | null, namespace: string | null, name: string];

export function resolveObjectRef(objects: ObjectQueries, ref: string): StoredObject[] {
  return resolveNewest(objects, ref, Infinity).objects;
}

/**
 * resolveObjectRef, reading only the newest `newest` objects when more match (a name reused by
 * thousands of pods): the count and span come from the store's index, not from every row.
 */
export function resolveNewest(objects: ObjectQueries, ref: string, newest: number): ResolvedRef {
  const text = ref.trim();
  if (UID.test(text)) return counted(objects.byUid(text.toLowerCase()));
  const match = nameMatch(objects, text);
  if (match === null) return counted([]);
  const { key, count } = match;
  return { ...count, objects: count.count === 0 ? [] : objects.byName(...key, count.count > newest ? newest : undefined) };
}

/**
 * Which name the reference means, with what it matched. `kind/name` (cluster-scoped: node/worker-1)
 * before `ns/name` (a namespaced object of any kind), and "ns/name" most often means a pod: pods
 * when the name has any, else every kind. Decided by counts, which the indexes answer without
 * reading rows.
 */
function nameMatch(objects: ObjectQueries, text: string): { key: NameKey; count: NameMatchCount } | null {
  const parts = text.split('/');
  const withCount = (key: NameKey) => ({ key, count: objects.countByName(...key) });
  if (parts.length === 3) return withCount([parts[0]!, parts[1]!, parts[2]!]);
  if (parts.length === 1) return withCount(['Node', null, text]);
  if (parts.length !== 2) return null;
  const [first, name] = parts as [string, string];
  const asKind = withCount([first, null, name]);
  if (asKind.count.count > 0) return asKind;
  const pods = withCount(['Pod', first, name]);
  return pods.count.count > 0 ? pods : withCount([null, first, name]);
}

function counted(found: StoredObject[]): ResolvedRef {
  const times = found.flatMap((o) => (o.first_seen === null ? [] : [o.first_seen]));
  return {
    objects: found,
    count: found.length,
    firstSeen: times.length ? Math.min(...times) : null,
    lastSeen: times.length ? Math.max(...times) : null,
  };
}
