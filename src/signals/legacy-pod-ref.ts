/**
 * The pod a kubelet line names in the older unstructured form `name_namespace(uid)` (Kubernetes
 * ≤ 1.19 messages such as `Readiness probe for "etcd-x_kube-system(uid):etcd" failed`, and the
 * `err` text of newer lines, `failed to "CreatePodSandbox" for "coredns-x_kube-system(uid)"`).
 * Recognized here, once, like an Event's parts (kube-event.ts), so that the incident rules that
 * need a line's pod (correlate/incidents/pod-ref.ts) do not read the text themselves.
 */
import { str, type SignalInput } from './types.js';

// Pod and namespace names are DNS labels/subdomains: no '_' or '(' inside, so no backtracking.
const LEGACY_POD = /([a-z0-9][-a-z0-9.]{0,252})_([a-z0-9][-a-z0-9]{0,62})\(([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32})\)/;

export interface LegacyPodRef {
  namespace: string;
  name: string;
  uid: string;
}

/** The first pod the message names in the older form, else the first its `err` field names. */
export function legacyPodRef(e: SignalInput): LegacyPodRef | undefined {
  const m = LEGACY_POD.exec(e.message) ?? LEGACY_POD.exec(str(e.fields['err']) ?? '');
  return m ? { namespace: m[2]!, name: m[1]!, uid: m[3]! } : undefined;
}
