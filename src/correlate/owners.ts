/**
 * The owner graph (Deployment -> ReplicaSet -> Pod, DaemonSet -> Pod...), from what the logs say,
 * most certain first:
 *  - audit events carry the created object's ownerReferences (with UIDs): certain;
 *  - the controller-manager's "Created pod: x" (its own log line and the Event it records) and the
 *    deployment controller's "Scaled up replica set x": named by the owner itself;
 *  - the ReplicaSet/pod-template-hash naming pattern (web-7d9f8b -> web-7d9f8b-x2x9q): a guess,
 *    used only for objects with no owner from the above, and marked so.
 */
import type { CorrelationStore } from '../store/correlation.js';
import type { ObjectLookup } from './link-types.js';

/** An edge between two objects of the linker's index (their ids). */
export interface OwnerEdge {
  owner: number;
  owned: number;
  via: 'audit' | 'created-by' | 'scaled-by' | 'name-pattern';
  confidence: number;
}

const CONTROLLER_KINDS = new Set(['ReplicaSet', 'DaemonSet', 'StatefulSet', 'Job', 'ReplicationController']);
const CREATED_POD = /\b(?:Created|Deleted) pod: ([a-z0-9][a-z0-9.-]*)/;
const SCALED_RS = /\bScaled (?:up|down) replica set ([a-z0-9][a-z0-9.-]*)/;
/** The owners the naming pattern looks for (patternOwner's kinds below). */
const POD_PATTERN_OWNERS = ['ReplicaSet', 'DaemonSet', 'Job'];
const RS_PATTERN_OWNERS = ['Deployment'];
const PATTERN_OWNER_KINDS = new Set([...POD_PATTERN_OWNERS, ...RS_PATTERN_OWNERS]);

export function inferOwners(store: CorrelationStore, index: ObjectLookup): OwnerEdge[] {
  const edges: OwnerEdge[] = [];
  const owned = new Set<number>();
  const add = (owner: number | undefined, child: number | undefined, via: OwnerEdge['via'], confidence: number): void => {
    if (owner === undefined || child === undefined || owner === child) return;
    edges.push({ owner, owned: child, via, confidence });
    owned.add(child);
  };
  const resolve = (r: { kind: string; namespace: string | null; name: string | null; uid: string | null }, time: number): number | undefined => {
    if (r.uid) return index.byUid(r.uid);
    if (!r.name) return undefined;
    return index.resolveName(r.kind, r.namespace, r.name, time).id;
  };

  // The events that can say who owns what, each with all its refs.
  for (const refs of store.ownershipEvents()) {
    const time = refs[0]!.time;
    // Audit: the object written and its ownerReferences.
    const ownerRefs = refs.filter((r) => r.key === 'ownerReferences');
    if (ownerRefs.length) {
      const subject = refs.find((r) => r.key !== 'ownerReferences' && r.via === 'audit' && r.uid) ?? refs.find((r) => r.key === 'objectRef');
      const child = subject ? resolve(subject, time) : undefined;
      for (const o of ownerRefs) add(resolve(o, time), child, 'audit', 1);
      continue;
    }
    // "Created pod: x" said by (or about) a controller, in its log line, its Event, or the message field.
    const controller = refs.find((r) => CONTROLLER_KINDS.has(r.kind) && r.key !== 'emitter');
    const text = `${refs[0]!.message} ${refs[0]!.fields ?? ''}`;
    const created = CREATED_POD.exec(text);
    if (controller && created) {
      const ownerObj = resolve(controller, time);
      const child = index.resolveName('Pod', controller.namespace, created[1]!, time).id;
      add(ownerObj, child, 'created-by', 0.95);
      continue;
    }
    const deployment = refs.find((r) => r.kind === 'Deployment' && r.key !== 'emitter');
    const scaled = SCALED_RS.exec(text);
    if (deployment && scaled) {
      add(resolve(deployment, time), index.resolveName('ReplicaSet', deployment.namespace, scaled[1]!, time).id, 'scaled-by', 0.95);
    }
  }

  // The naming pattern, only where nothing better was found. Only the kinds a pattern can name
  // as owner are indexed: every object by name was ~150 MB of keys and lists on a 5M-event store
  // (1.25M objects, nearly all pods), where the owner kinds are a few.
  const byNsName = new Map<string, number[]>();
  for (const id of index.ids()) {
    const name = index.name(id);
    const kind = index.kind(id);
    if (!name || !PATTERN_OWNER_KINDS.has(kind)) continue;
    const key = `${kind}\u0000${index.namespace(id) ?? ''}\u0000${name}`;
    const list = byNsName.get(key) ?? [];
    list.push(id);
    byNsName.set(key, list);
  }
  const patternOwner = (kinds: string[], child: number, suffix: RegExp): number | undefined => {
    const m = suffix.exec(index.name(child) ?? '');
    if (!m) return undefined;
    for (const kind of kinds) {
      const list = byNsName.get(`${kind}\u0000${index.namespace(child) ?? ''}\u0000${m[1]}`);
      if (list?.length) return list.find((o) => index.first(o) <= index.last(child)) ?? list[0];
    }
    return undefined;
  };
  // Nothing below makes an object: the ids are the index's as it stands.
  for (const id of index.ids()) {
    if (owned.has(id)) continue;
    const kind = index.kind(id);
    if (kind === 'Pod') add(patternOwner(POD_PATTERN_OWNERS, id, /^(.+)-[a-z0-9]{5}$/), id, 'name-pattern', 0.4);
    else if (kind === 'ReplicaSet') add(patternOwner(RS_PATTERN_OWNERS, id, /^(.+)-[a-z0-9]{6,10}$/), id, 'name-pattern', 0.4);
  }
  return edges;
}
