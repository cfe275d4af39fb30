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
import { addEvents } from '../candidate.js';
import { SECOND } from '../group.js';
import { podIpIndex } from '../pod-ips.js';
import { linkedAsker } from './dns-nxdomain.js';
import type { EventRow, ObjectRow, SignalledEvent, StoreView } from '../../../store/incident-view.js';
import { signalRunRule } from './signal-runs.js';

export const UPSTREAM_FAILURES_MIN = 5;

/** The Deployment behind the CoreDNS pods that wrote these lines, else a pod of theirs. */
export function corednsRoot(view: StoreView, lines: readonly EventRow[]): { root: ObjectRow | undefined; pods: ObjectRow[] } {
  const pods = new Map<number, ObjectRow>();
  for (const e of lines) {
    // Most lines come from a pod already seen: only a new one's links are read.
    const id = view.writerId(e.id);
    if (id === undefined || pods.has(id)) continue;
    pods.set(id, view.writer(e.id)!);
    if (pods.size >= 8) break;
  }
  for (const pod of pods.values()) {
    const top = view.ownerChain(pod.id).find((o) => o.kind === 'Deployment');
    if (top) return { root: top, pods: [...pods.values()] };
  }
  const named = view.objectsNamed('Deployment', 'kube-system', 'coredns')[0];
  return { root: named ?? pods.values().next().value, pods: [...pods.values()] };
}

/**
 * corednsRoot once per run: `object` and `finish` both ask for the same run, and it reads the
 * links of every line of the run until it has seen 8 pods, so of every line when CoreDNS runs
 * fewer (kubeadm runs two): about 0.7 s of CPU at scale 20, half of it asked twice (measured).
 */
const rootOfRun = new WeakMap<readonly EventRow[], ReturnType<typeof corednsRoot>>();
function runRoot(view: StoreView, run: readonly EventRow[]): ReturnType<typeof corednsRoot> {
  let found = rootOfRun.get(run);
  if (!found) rootOfRun.set(run, (found = corednsRoot(view, run)));
  return found;
}

export const dnsUpstreamTimeoutRule = signalRunRule('dns-upstream-timeout', 'error', '5+ CoreDNS upstream errors (i/o timeout, no healthy upstream...) cluster-wide, at most 60 s apart', {
  signals: ['dns-upstream-error'],
  // Cluster-wide: every CoreDNS pod forwards to the same upstreams.
  key: () => 'cluster',
  gap: 60 * SECOND,
  qualifies: (run) => run.length >= UPSTREAM_FAILURES_MIN,
  root: () => ({ kind: 'Deployment', namespace: 'kube-system', name: 'coredns' }),
  object: (run, view) => runRoot(view, run).root,
  finish: (c, run, view) => {
    for (const p of runRoot(view, run).pods) if (p.id !== c.root?.id) c.affected.add(p.id);
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
    c.counts['upstreamErrors'] = run.length;
    c.counts['servfail'] = servfail.length;
    c.counts['clients'] = clients.size;
    c.notes['upstream'] = upstreamOf(run) ?? null;
  },
  summarize: (run, c) => {
    const upstream = upstreamOf(run);
    const names = new Set(run.map((e) => e.fields['qname']).filter((q) => typeof q === 'string'));
    const servfail = c.counts['servfail'] ?? 0;
    return `CoreDNS upstream${upstream ? ` ${upstream}` : ''} not answering: ${run.length} timeouts, ${servfail} SERVFAIL answers for ${names.size} name${names.size > 1 ? 's' : ''} in ${Math.round((c.end - c.start) / SECOND)} s`;
  },
});

function upstreamOf(run: readonly SignalledEvent[]): string | undefined {
  return run.map((e) => e.facts['upstream']).find((u): u is string => typeof u === 'string');
}
