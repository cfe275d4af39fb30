/**
 * etcd members (hex IDs in raft lines) to the pods that run them. A member's own lines carry its
 * ID (`member` in the raft facts parsers/payload/etcd-common.ts sets, `local-member-id` at start)
 * and the linker ties each line to the pod that wrote it (the `emitter` link from the file's
 * pods/<ns>_<pod>_<uid>/ folder; for kind's static pods, the 32-hex UID of that folder). Without
 * that link, the pod the line's path names (an OpenShift must-gather's
 * namespaces/openshift-etcd/pods/etcd-<node>/ has no UID to link by), then the host's
 * `etcd-<host>` pod (kubeadm's static pod name) stands in.
 */
import type { ObjectRow, StoreView } from '../../store/incident-view.js';
import type { RootRef } from './types.js';

export interface EtcdMember {
  id: string;
  pod: ObjectRow | undefined;
  /** The pod as the member's own lines name it (their path), when no stored object matched. */
  podRef: RootRef | undefined;
  host: string | null;
}

const cache = new WeakMap<StoreView, Map<string, EtcdMember>>();

export function etcdMember(view: StoreView, id: string): EtcdMember {
  let members = cache.get(view);
  if (!members) cache.set(view, (members = new Map()));
  const hit = members.get(id);
  if (hit) return hit;
  const own = view.events(
    `e.component = 'etcd' AND (json_extract(e.fields, '$.member') = ? OR json_extract(e.fields, '$."local-member-id"') = ?)`,
    [id, id],
    20,
  );
  let pod: ObjectRow | undefined;
  let podRef: RootRef | undefined;
  let host: string | null = null;
  for (const e of own) {
    host ??= e.host;
    const w = etcdPodOfLine(view, e.id, null);
    pod = w.pod;
    if (pod) break;
    podRef ??= w.ref;
  }
  if (!pod && !podRef && host) pod = view.objectsNamed('Pod', 'kube-system', `etcd-${host}`)[0];
  const member = { id, pod, podRef: pod ? undefined : podRef, host };
  members.set(id, member);
  return member;
}

/** The member that wrote an etcd line (from its fields, else from its writer pod). */
export function memberOf(fields: Record<string, unknown>): string | undefined {
  const m = fields['member'] ?? fields['local-member-id'];
  return typeof m === 'string' ? m : undefined;
}

/**
 * The root an incident about a member names: its pod (stored, or as its lines' path names it),
 * else the member itself by its raft ID, never a pod of a namespace guessed for it.
 */
export function memberRoot(member: EtcdMember | undefined, id: string | undefined): RootRef {
  if (member?.pod) return { kind: 'Pod', namespace: member.pod.namespace, name: member.pod.name, uid: member.pod.uid };
  if (member?.podRef) return member.podRef;
  return { kind: 'EtcdMember', namespace: null, name: id ?? null };
}

/**
 * The etcd pod that wrote a line: the pod its path names (looked up by name), else kubeadm's
 * `etcd-<host>` in kube-system. `key` tells members apart even when no object is stored; `ref`
 * names the pod as the line does (undefined when nothing names it). Not the line's writer link:
 * the linker links an etcd line to its own pod as `emitter-self` (link.ts selfReport), which
 * `writer()` never reads, so asking it was a read of the line's links for nothing (625k slow
 * requests on the 5M-event bench input; test/src/correlate/incidents/etcd-members.test.ts checks
 * that no etcd line has such a link).
 */
export function etcdPodOfLine(view: StoreView, eventId: number, host: string | null): { key: string; pod: ObjectRow | undefined; ref: RootRef | undefined } {
  const emitter = view.refs(eventId).find((r) => r.key === 'emitter' && r.kind === 'Pod' && r.name);
  if (emitter) {
    const pod = view.objectsNamed('Pod', emitter.namespace, emitter.name!)[0];
    const ref: RootRef = { kind: 'Pod', namespace: emitter.namespace, name: emitter.name, uid: emitter.uid };
    return { key: pod ? `p${pod.id}` : `n${emitter.namespace ?? ''}/${emitter.name!}`, pod, ref };
  }
  if (!host) return { key: 'h?', pod: undefined, ref: undefined };
  const pod = view.objectsNamed('Pod', 'kube-system', `etcd-${host}`)[0];
  return { key: pod ? `p${pod.id}` : `h${host}`, pod, ref: { kind: 'Pod', namespace: 'kube-system', name: `etcd-${host}` } };
}
