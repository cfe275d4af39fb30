/**
 * Which pod asked CoreDNS: a query-log line names the client by IP only. Pod IPs come from what
 * the apiserver recorded (the kubelet's status patch, a pod object in an audit event), each valid
 * from when it was stated until the IP is stated for another pod. The errors plugin's line for a
 * failed upstream query names no client at all: it is paired with the query-log line that CoreDNS
 * writes right after it for the same name and type, and takes that line's client.
 */
import type Database from 'better-sqlite3';
import type { LinkedObj, LinkFn, ObjectLookup } from './link-types.js';

/** How long after an error line its query-log line may come (the log plugin writes on reply). */
const PAIR_WINDOW_MICROS = 3_000_000;

export interface IpAssignment {
  from: number;
  pod: LinkedObj;
}

/** Pod IPs with the pods they belonged to over time, from audit events that state them. */
export function podIpIndex(db: Database.Database, index: ObjectLookup): Map<string, IpAssignment[]> {
  const out = new Map<string, IpAssignment[]>();
  const rows = db
    .prepare(
      `SELECT e.id, e.time, json_extract(e.fields, '$.podIPs') AS ips, r.namespace, r.name, r.uid
       FROM events e JOIN event_refs r ON r.event_id = e.id AND r.key = 'objectRef' AND r.kind = 'Pod'
       WHERE e.component = 'audit' AND e.fields LIKE '%"podIPs"%' ORDER BY e.time, e.id`,
    )
    .all() as { id: number; time: number; ips: string | null; namespace: string | null; name: string | null; uid: string | null }[];
  for (const r of rows) {
    const pod = r.uid ? index.byUid.get(r.uid) : r.name ? index.resolveName('Pod', r.namespace, r.name, r.time).obj : undefined;
    if (!pod) continue;
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

/** The pod an IP belonged to at a time: the last assignment stated before it (with a little slack). */
export function podAt(ips: Map<string, IpAssignment[]>, ip: string, time: number): LinkedObj | undefined {
  const list = ips.get(ip);
  if (!list) return undefined;
  let found: LinkedObj | undefined;
  // Clients query right after their sandbox starts, sometimes before the status patch is recorded.
  for (const a of list) if (a.from <= time + 5_000_000) found = a.pod;
  return found;
}

interface DnsRow {
  id: number;
  time: number;
  source_id: number;
  client: string | null;
  qname: string | null;
  qtype: string | null;
  plugin: string | null;
}

export function linkDnsClients(db: Database.Database, ips: Map<string, IpAssignment[]>, link: LinkFn): void {
  if (ips.size === 0) return;
  const rows = db
    .prepare(
      `SELECT id, time, source_id, json_extract(fields, '$.client') AS client, json_extract(fields, '$.qname') AS qname,
              json_extract(fields, '$.qtype') AS qtype, json_extract(fields, '$.plugin') AS plugin
       FROM events WHERE component = 'coredns' AND (fields LIKE '%"client"%' OR fields LIKE '%"plugin":"errors"%')
       ORDER BY source_id, time, id`,
    )
    .all() as DnsRow[];
  let source = -1;
  let waiting: DnsRow[] = [];
  for (const r of rows) {
    if (r.source_id !== source) {
      source = r.source_id;
      waiting = [];
    }
    if (r.plugin === 'errors') {
      waiting.push(r);
      continue;
    }
    if (!r.client) continue;
    const pod = podAt(ips, r.client, r.time);
    waiting = waiting.filter((w) => r.time - w.time <= PAIR_WINDOW_MICROS);
    if (!pod) continue;
    link(r.id, pod, 'pod-ip', 0.85);
    const i = waiting.findIndex((w) => w.qname === r.qname && w.qtype === r.qtype);
    if (i >= 0) {
      link(waiting[i]!.id, pod, 'dns-pair', 0.75);
      waiting.splice(i, 1);
    }
  }
}
