/**
 * Pod IPs to pods, for CoreDNS's query log (which names the client by IP only). The linker already
 * ties a query to its client where the apiserver recorded the pod's IP (src/correlate/dns-clients.ts);
 * the DNS rules ask the query's links first and this index only for what is left. Its sources, the
 * direct ones first:
 *
 *  1. Direct: the `podIPs` of a pod in audit (the kubelet's status patch), an IP the kubelet
 *     dialled to probe a pod (`output="dial tcp 10.244.1.5:6379: ..."`, `Get
 *     "http://10.244.1.5:80/healthz"`), or a `podIP`/`podIPs` field beside a pod.
 *  2. Allocation order: the node's pod CIDR (controller-manager `"Set node PodCIDR" node=...
 *     podCIDRs=[...]`, kubelet `"Updating Pod CIDR" newPodCIDR=...`) and the order in which
 *     containerd created the node's sandboxes (`RunPodSandbox for &PodSandboxMetadata{Name:...}`).
 *     kind's CNI (kindnet) allocates with host-local, which hands out addresses in order from the
 *     range's first usable one (.2: .1 is the bridge), so the n-th pod-network sandbox of a node
 *     gets base+n+1. Host-network pods take no address: static pods (32-hex UIDs) and the
 *     kube-proxy/kindnet DaemonSets, which kind runs on the host network. This is a reconstruction:
 *     it holds while the logs cover the node since its start and no sandboxes were created
 *     concurrently out of order; an IP it maps is reported with how it was mapped.
 * An IP maps to the latest pod that got it at or before the query's time (addresses are reused).
 * Each of these lines is a signal (src/signals/pod-ip.ts, pod-cidr.ts, pod-sandbox-requested.ts):
 * this index reads facts and fields, never the lines' text.
 */
import { nameField, refField } from './pod-ref.js';
import type { ObjectRow, StoreView } from '../../store/incident-view.js';
import type { RootRef } from './types.js';
import type { Facts } from '../../signals/index.js';

export interface IpOwner {
  pod: ObjectRow | undefined;
  ref: RootRef;
  /** How the IP was tied to the pod. */
  how: 'linked' | 'audit' | 'probe' | 'field' | 'allocation-order';
  since: number;
}

export interface PodIpIndex {
  podAt(ip: string, time: number): IpOwner | undefined;
  readonly size: number;
}

const HOST_NETWORK_DAEMONS = /^(?:kube-proxy|kindnet)-[a-z0-9]{5}$/;
const STATIC_UID = /^[0-9a-f]{32}$/;

/** The IPs a pod-ip signal states (src/signals/pod-ip.ts), in the order the line gave them. */
function ipsOf(facts: Facts): string[] {
  return String(facts['ips']).split(',');
}

function ipToInt(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    const v = Number(p);
    if (!Number.isInteger(v) || v < 0 || v > 255) return undefined;
    n = n * 256 + v;
  }
  return n;
}

function intToIp(n: number): string {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** "10.244.1.0/24" -> first usable host address (base + 2) and size, IPv4 only. */
function cidrStart(cidr: string): { first: number; last: number } | undefined {
  const [addr, bits] = cidr.split('/');
  const base = addr ? ipToInt(addr) : undefined;
  const prefix = Number(bits);
  if (base === undefined || !Number.isInteger(prefix) || prefix < 8 || prefix > 30) return undefined;
  const size = 2 ** (32 - prefix);
  return { first: base + 2, last: base + size - 2 };
}

function podCidrs(view: StoreView): Map<string, string> {
  const byNode = new Map<string, string>();
  for (const e of view.signalled(['pod-cidr'])) {
    const cidr = String(e.facts['cidr']);
    if (e.facts['by'] === 'controller') {
      // The controller's word is the range's: it overrides what a kubelet said.
      const node = nameField(e.fields['node']);
      if (typeof node === 'string') byNode.set(node, cidr);
    } else if (e.host && !byNode.has(e.host)) {
      byNode.set(e.host, cidr);
    }
  }
  return byNode;
}

export function buildPodIpIndex(view: StoreView): PodIpIndex {
  const byIp = new Map<string, IpOwner[]>();
  const add = (ip: string, owner: IpOwner): void => {
    const list = byIp.get(ip);
    if (list) list.push(owner);
    else byIp.set(ip, [owner]);
  };

  // 1. Direct.
  const direct = new Map<string, IpOwner[]>();
  const stated = view.signalled(['pod-ip']);
  // The kubelet's lines first, then audit's: each list keeps the order its statements came in.
  for (const e of stated) {
    if (e.component !== 'kubelet') continue;
    const pod = refField(e.fields['pod']);
    const ref: RootRef | undefined = pod ? { kind: 'Pod', ...pod, uid: typeof e.fields['podUID'] === 'string' ? e.fields['podUID'] : null } : undefined;
    if (!ref) continue;
    const obj = view.objectOf(e, 'Pod', ref);
    const probed = e.facts['probed'];
    for (const x of ipsOf(e.facts)) {
      const owner: IpOwner = { pod: obj, ref, how: probed !== undefined && x === probed ? 'probe' : 'field', since: obj?.firstSeen ?? e.time };
      const had = direct.get(x) ?? [];
      if (!had.some((o) => o.pod?.id === obj?.id && o.ref.name === ref.name)) had.push(owner);
      direct.set(x, had);
    }
  }

  for (const e of stated) {
    if (e.component !== 'audit') continue;
    const ref = view.refs(e.id).find((r) => r.kind === 'Pod' && r.key === 'objectRef');
    if (!ref) continue;
    const rootRef: RootRef = { kind: 'Pod', namespace: ref.namespace, name: ref.name, uid: ref.uid };
    const obj = view.objectOf(e, 'Pod', rootRef);
    for (const x of ipsOf(e.facts)) {
      const had = direct.get(x) ?? [];
      if (had[had.length - 1]?.pod?.id !== obj?.id || !obj) had.push({ pod: obj, ref: rootRef, how: 'audit', since: e.time });
      direct.set(x, had);
    }
  }

  // 2. Allocation order, per node.
  const cidrs = podCidrs(view);
  const next = new Map<string, { at: number; last: number }>();
  for (const [node, cidr] of cidrs) {
    const range = cidrStart(cidr);
    if (range) next.set(node, { at: range.first, last: range.last });
  }
  if (next.size) {
    for (const e of view.signalled(['pod-sandbox-requested'])) {
      const range = e.host ? next.get(e.host) : undefined;
      if (!range) continue;
      const name = String(e.facts['name']);
      const uid = String(e.facts['uid']);
      if (STATIC_UID.test(uid) || HOST_NETWORK_DAEMONS.test(name)) continue;
      if (range.at > range.last) continue; // the range wrapped: order no longer tells
      const ref: RootRef = { kind: 'Pod', namespace: String(e.facts['namespace']), name, uid };
      add(intToIp(range.at), { pod: view.resolve(ref, e.time), ref, how: 'allocation-order', since: e.time });
      range.at++;
    }
  }
  for (const list of byIp.values()) list.sort((a, b) => a.since - b.since);
  for (const list of direct.values()) list.sort((a, b) => a.since - b.since);

  return {
    size: byIp.size + direct.size,
    podAt(ip, time) {
      // Direct statements first: the latest made before the time (with a little slack: a client
      // asks right after its sandbox starts, sometimes before its status is recorded).
      const seen = direct.get(ip);
      if (seen?.length) {
        let found: IpOwner | undefined;
        for (const o of seen) if (o.since <= time + 5_000_000) found = o;
        return found ?? seen[0];
      }
      let best: IpOwner | undefined;
      for (const o of byIp.get(ip) ?? []) if (o.since <= time) best = o;
      return best;
    },
  };
}

const cache = new WeakMap<StoreView, PodIpIndex>();

export function podIpIndex(view: StoreView): PodIpIndex {
  let index = cache.get(view);
  if (!index) cache.set(view, (index = buildPodIpIndex(view)));
  return index;
}
