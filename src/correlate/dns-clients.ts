/**
 * Which pod asked CoreDNS: a query-log line names the client by IP only. Pod IPs come from what
 * the apiserver recorded (the kubelet's status patch, a pod object in an audit event), each valid
 * from when it was stated until the IP is stated for another pod. The errors plugin's line for a
 * failed upstream query names no client at all: it is paired with the query-log line that CoreDNS
 * writes right after it for the same name and type, and takes that line's client.
 */
import type { CorrelationStore, DnsRow } from '../store/correlation.js';
import type { LinkFn, ObjectLookup } from './link-types.js';

/** How long after an error line its query-log line may come (the log plugin writes on reply). */
const PAIR_WINDOW_MICROS = 3_000_000;

export interface IpAssignment {
  from: number;
  /** The pod's object id. */
  pod: number;
}

/** Pod IPs with the pods they belonged to over time, from audit events that state them. */
export function podIpIndex(store: CorrelationStore, index: ObjectLookup): Map<string, IpAssignment[]> {
  const out = new Map<string, IpAssignment[]>();
  for (const r of store.podIpStatements()) {
    const pod = r.uid ? index.byUid(r.uid) : r.name ? index.resolveName('Pod', r.namespace, r.name, r.time).id : undefined;
    if (pod === undefined) continue;
    let ips: unknown;
    try {
      ips = JSON.parse(r.ips ?? '[]');
    } catch {
      continue;
    }
    if (!Array.isArray(ips)) continue;
    for (const ip of ips) {
      if (typeof ip !== 'string') continue;
      const list = out.get(ip) ?? [];
      if (list[list.length - 1]?.pod !== pod) list.push({ from: r.time, pod });
      out.set(ip, list);
    }
  }
  return out;
}

/** The pod (its object id) an IP belonged to at a time: the last assignment stated before it (with a little slack). */
export function podAt(ips: Map<string, IpAssignment[]>, ip: string, time: number): number | undefined {
  const list = ips.get(ip);
  if (!list) return undefined;
  let found: number | undefined;
  // Clients query right after their sandbox starts, sometimes before the status patch is recorded.
  for (const a of list) if (a.from <= time + 5_000_000) found = a.pod;
  return found;
}

export function linkDnsClients(store: CorrelationStore, ips: Map<string, IpAssignment[]>, link: LinkFn): void {
  if (ips.size === 0) return;
  // Lines come in time order across sources; an error waits for its query-log line in its own
  // source's list (the log plugin of the same CoreDNS writes it).
  const waitingBySource = new Map<number, DnsRow[]>();
  for (const r of store.dnsLines()) {
    let waiting = waitingBySource.get(r.source_id) ?? [];
    if (r.plugin === 'errors') {
      waiting.push(r);
      waitingBySource.set(r.source_id, waiting);
      continue;
    }
    if (!r.client) continue;
    const pod = podAt(ips, r.client, r.time);
    waiting = waiting.filter((w) => r.time - w.time <= PAIR_WINDOW_MICROS);
    waitingBySource.set(r.source_id, waiting);
    if (pod === undefined) continue;
    link(r.id, r.time, pod, 'pod-ip', 0.85);
    const i = waiting.findIndex((w) => w.qname === r.qname && w.qtype === r.qtype);
    if (i >= 0) {
      link(waiting[i]!.id, waiting[i]!.time, pod, 'dns-pair', 0.75);
      waiting.splice(i, 1);
    }
  }
}
