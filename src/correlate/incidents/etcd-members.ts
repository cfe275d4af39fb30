/**
 * etcd members (hex IDs in raft lines) to the pods that run them. A member's own lines carry its
 * ID (`member` in the raft facts parsers/payload/etcd-common.ts sets, `local-member-id` at start)
 * and the linker ties each line to the pod that wrote it (the `emitter` link from the file's
 * pods/<ns>_<pod>_<uid>/ folder; for kind's static pods, the 32-hex UID of that folder). Without
 * that link, the host's `etcd-<host>` pod (kubeadm's static pod name) stands in.
 */
import type { ObjectRow, StoreView } from '../../store/incident-view.js';

export interface EtcdMember {
  id: string;
  pod: ObjectRow | undefined;
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
  let host: string | null = null;
  for (const e of own) {
    host ??= e.host;
    pod = view.writer(e.id);
    if (pod) break;
  }
  if (!pod && host) pod = view.objectsNamed('Pod', 'kube-system', `etcd-${host}`)[0];
  const member = { id, pod, host };
  members.set(id, member);
  return member;
}

/** The member that wrote an etcd line (from its fields, else from its writer pod). */
export function memberOf(fields: Record<string, unknown>): string | undefined {
  const m = fields['member'] ?? fields['local-member-id'];
  return typeof m === 'string' ? m : undefined;
}
