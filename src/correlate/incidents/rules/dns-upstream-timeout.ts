/**
 * dns-upstream-timeout: CoreDNS cannot reach the resolvers it forwards to, so every name outside
 * the cluster fails (SERVFAIL after the forward plugin's timeout). Root: the CoreDNS Deployment
 * (the owner of the pods that wrote the errors; kubeadm names it coredns). On a capture with no
 * Deployment object, the first CoreDNS pod stands in. Signals: the errors plugin's
 * `[ERROR] plugin/errors: 2 example.org. A: read udp 10.244.0.3:48557->172.19.0.1:53: i/o timeout`
 * (and `no healthy upstream`, `connection refused` to the upstream); the SERVFAIL answers in the
 * query log are its effects, and the pods that asked (client IPs, see pod-ips.ts) are affected.
 *
 * Threshold: one lost UDP packet gives one timeout, and CoreDNS retries; five upstream failures,
 * from any CoreDNS pod, with no more than 60 s between them, is an outage.
 */
import { addEvents, newCandidate } from '../candidate.js';
import { SECOND, splitByGap } from '../group.js';
import { podIpIndex } from '../pod-ips.js';
import { linkedAsker } from './dns-nxdomain.js';
import type { EventRow, ObjectRow, StoreView } from '../../../store/incident-view.js';
import type { Rule } from '../types.js';

const GAP = 60 * SECOND;
export const UPSTREAM_FAILURES_MIN = 5;

/** The Deployment behind the CoreDNS pods that wrote these lines, else a pod of theirs. */
export function corednsRoot(view: StoreView, lines: readonly EventRow[]): { root: ObjectRow | undefined; pods: ObjectRow[] } {
  const pods = new Map<number, ObjectRow>();
  for (const e of lines) {
    const w = view.writer(e.id);
    if (w && !pods.has(w.id)) pods.set(w.id, w);
    if (pods.size >= 8) break;
  }
  for (const pod of pods.values()) {
    const top = view.ownerChain(pod.id).find((o) => o.kind === 'Deployment');
    if (top) return { root: top, pods: [...pods.values()] };
  }
  const named = view.objectsNamed('Deployment', 'kube-system', 'coredns')[0];
  return { root: named ?? pods.values().next().value, pods: [...pods.values()] };
}

export const dnsUpstreamTimeoutRule: Rule = {
  kind: 'dns-upstream-timeout',
  severity: 'error',
  describe: '5+ CoreDNS upstream errors (i/o timeout, no healthy upstream...) cluster-wide, at most 60 s apart',
  detect(view) {
    const errors = view.signalled(['dns-upstream-error']);
    const out = [];
    for (const run of splitByGap(errors, GAP, (e) => e.time)) {
      if (run.length < UPSTREAM_FAILURES_MIN) continue;
      const { root, pods } = corednsRoot(view, run);
      const c = newCandidate('dns-upstream-timeout', 'error', root, { kind: 'Deployment', namespace: 'kube-system', name: 'coredns' }, '');
      addEvents(c, run, 'trigger');
      for (const p of pods) if (p.id !== root?.id) c.affected.add(p.id);
      const servfail = view.signalled(['dns-servfail'], c.start - 5 * SECOND, c.end + 5 * SECOND);
      addEvents(c, servfail, 'effect');
      const ips = podIpIndex(view);
      const clients = new Set<string>();
      for (const e of servfail) {
        const ip = e.facts['client'];
        if (typeof ip !== 'string' || clients.has(ip)) continue;
        clients.add(ip);
        const owner = linkedAsker(view, e.id) ?? ips.podAt(ip, e.time);
        if (owner?.pod) c.affected.add(owner.pod.id);
      }
      const upstream = run.map((e) => e.facts['upstream']).find((u) => typeof u === 'string');
      const names = new Set(run.map((e) => e.fields['qname']).filter((q) => typeof q === 'string'));
      c.counts['upstreamErrors'] = run.length;
      c.counts['servfail'] = servfail.length;
      c.counts['clients'] = clients.size;
      c.notes['upstream'] = upstream ?? null;
      c.summary = `CoreDNS upstream${upstream ? ` ${upstream}` : ''} not answering: ${run.length} timeouts, ${servfail.length} SERVFAIL answers for ${names.size} name${names.size > 1 ? 's' : ''} in ${Math.round((c.end - c.start) / SECOND)} s`;
      out.push(c);
    }
    return out;
  },
};
