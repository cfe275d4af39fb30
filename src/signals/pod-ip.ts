/**
 * pod-ip: a line ties an IP address to a pod, which is how CoreDNS's query log (it names its
 * clients by IP only) leads back to the pod that asked (src/correlate/incidents/pod-ips.ts):
 *  - the kubelet dialled the pod to probe it: `"Probe failed" probeType="Readiness"
 *    pod="ns/name" output="Get \"https://10.128.0.14:8443/healthz\": ..."` (or `dial tcp
 *    10.244.1.5:6379: ...`), and the older `Readiness probe for "..." failed` wording;
 *  - a kubelet line with a `podIP` string or `podIPs` list field (a JSON list, or klog's text of
 *    one: `"Creating hosts mount for container" pod="default/web-1" podIPs=[10.244.2.32]`);
 *  - an audit event of a Pod whose request or response states `status.podIP(s)` (the kubelet's
 *    status patch; the audit parser gathers them into `podIPs`).
 * The pod itself is read from the line's fields (kubelet) or its objectRef (audit) by the reader.
 * Facts: `ips` (comma-separated, as stated: the dialled one first), `probed` (the IP a probe
 * dialled, when the line is a probe's).
 */
import { isIP } from 'node:net';
import type { Facts, Signal, SignalInput } from './types.js';

const DIALLED = /(?:dial tcp |https?:\/\/)(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}):\d{1,5}/;
const PROBE = /probe for /i;

/** A list of IPs: a JSON array, or klog's text form of a []string, `[10.244.2.32 fd00::20]`. */
function ipList(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  const m = typeof v === 'string' ? /^\[([^\]]{1,200})\]$/.exec(v) : null;
  return m ? m[1]!.split(' ').filter((x) => isIP(x) !== 0) : [];
}

function kubeletIps(e: SignalInput): Facts | undefined {
  const ips: string[] = [];
  let probed: string | undefined;
  if (e.message === 'Probe failed' || PROBE.test(e.message)) {
    const output = e.fields['output'];
    probed = DIALLED.exec(typeof output === 'string' ? output : e.message)?.[1];
    if (probed) ips.push(probed);
  }
  const one = e.fields['podIP'];
  if (typeof one === 'string') ips.push(one);
  ips.push(...ipList(e.fields['podIPs']));
  if (ips.length === 0) return undefined;
  return probed ? { ips: ips.join(','), probed } : { ips: ips.join(',') };
}

function auditIps(e: SignalInput): Facts | undefined {
  const ips = ipList(e.fields['podIPs']);
  return ips.length ? { ips: ips.join(',') } : undefined;
}

export const podIp: Signal = {
  name: 'pod-ip',
  context: true,
  components: ['kubelet', 'audit'],
  describe: "a line ties an IP to a pod: a kubelet probe's dialled address, a podIP(s) field, a pod's status IPs in audit",
  match: (e) => (e.component === 'kubelet' ? kubeletIps(e) : e.component === 'audit' ? auditIps(e) : undefined),
};
