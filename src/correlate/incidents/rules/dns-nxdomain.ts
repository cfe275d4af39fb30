/**
 * dns-nxdomain: a pod keeps asking for a cluster name that does not exist (a misspelt Service, a
 * Service in another namespace, one deleted). Root: the pod that asked: the pod the linker tied the
 * query to, else the client IP through pod-ips.ts (which says how IPs map to pods); when no pod
 * can be named, the Service asked for.
 *
 * Only names of the form `<service>.<namespace>.svc.<domain>.` (or `<a-b-c-d>.<namespace>.pod.`)
 * count: the NXDOMAINs a healthy cluster is full of are search-path expansions
 * (`api.github.com.default.svc.cluster.local.`: more labels before `svc`), external names, and
 * CoreDNS's own loop probe (HINFO for a random number name); none has that form.
 *
 * Threshold: a pod that starts before the Service it needs asks a few times in vain, and then
 * finds it. Four NXDOMAIN answers for one name over at least 30 s (lookups at most 5 min apart).
 */
import { addEvents, newCandidate } from '../candidate.js';
import { MINUTE, SECOND, groupBy, splitByGap } from '../group.js';
import { podIpIndex, type IpOwner } from '../pod-ips.js';
import type { StoreView } from '../../../store/incident-view.js';
import type { Rule } from '../types.js';

const GAP = 5 * MINUTE;
export const NXDOMAIN_MIN = 4;
export const NXDOMAIN_SPAN = 30 * SECOND;
const SERVICE_NAME = /^([a-z0-9][-a-z0-9]{0,62})\.([a-z0-9][-a-z0-9]{0,62})\.svc\./;
const POD_NAME = /^\d{1,3}-\d{1,3}-\d{1,3}-\d{1,3}\.([a-z0-9][-a-z0-9]{0,62})\.pod\./;

interface Answer {
  id: number;
  time: number;
  qname: string | null;
  client: unknown;
}

/** The client pod the linker tied a query line to (by the IP the apiserver recorded for it). */
export function linkedAsker(view: StoreView, eventId: number): IpOwner | undefined {
  const pod = view.links(eventId).find((l) => l.kind === 'Pod');
  return pod ? { pod, ref: { kind: 'Pod', namespace: pod.namespace, name: pod.name, uid: pod.uid }, how: 'linked', since: 0 } : undefined;
}

export const dnsNxdomainRule: Rule = {
  kind: 'dns-nxdomain',
  severity: 'warn',
  describe: '4+ NXDOMAIN for one <svc>.<ns>.svc name over 30 s or more (search-path expansions excluded); root: the asking pod',
  detect(view) {
    // Lean rows, streamed, only the cluster names kept: a busy cluster answers NXDOMAIN hundreds
    // of thousands of times (search paths).
    const answers: Answer[] = [];
    for (const a of view.signalFacts('dns-nxdomain')) {
      const qname = a.facts['qname'];
      if (typeof qname === 'string' && (SERVICE_NAME.test(qname) || POD_NAME.test(qname))) answers.push({ id: a.id, time: a.time, qname, client: a.facts['client'] });
    }
    const out = [];
    const ips = podIpIndex(view);
    for (const [qname, list] of groupBy(answers, (a) => a.qname ?? undefined)) {
      for (const run of splitByGap(list, GAP, (e) => e.time)) {
        if (run.length < NXDOMAIN_MIN || run[run.length - 1]!.time - run[0]!.time < NXDOMAIN_SPAN) continue;
        // The asking pods, in order of their first question.
        const clients: { ip: string; owner: IpOwner | undefined }[] = [];
        for (const a of run) {
          const ip = a.client;
          if (typeof ip === 'string' && !clients.some((c) => c.ip === ip)) clients.push({ ip, owner: linkedAsker(view, a.id) ?? ips.podAt(ip, a.time) });
        }
        const asker = clients.find((c) => c.owner?.pod)?.owner;
        const svc = SERVICE_NAME.exec(qname);
        const serviceRef = svc ? { kind: 'Service', namespace: svc[2]!, name: svc[1]! } : { kind: 'Service', name: qname };
        const root = asker?.pod ?? view.resolve(serviceRef, run[0]!.time);
        const c = newCandidate('dns-nxdomain', 'warn', root, asker?.ref ?? serviceRef, '');
        addEvents(c, run, 'trigger');
        for (const cl of clients) if (cl.owner?.pod && cl.owner.pod.id !== root?.id) c.affected.add(cl.owner.pod.id);
        c.counts['answers'] = run.length;
        c.counts['clients'] = clients.length;
        c.notes['qname'] = qname;
        c.notes['clients'] = clients.map((cl) => ({ ip: cl.ip, pod: cl.owner ? `${cl.owner.ref.namespace}/${cl.owner.ref.name}` : null, mappedBy: cl.owner?.how ?? null }));
        const who = asker ? `${asker.ref.namespace}/${asker.ref.name}` : clients.map((cl) => cl.ip).join(', ');
        c.summary = `${qname} does not exist: ${run.length} NXDOMAIN answers to ${who}${clients.length > 1 ? ` and ${clients.length - 1} more client${clients.length > 2 ? 's' : ''}` : ''}`;
        out.push(c);
      }
    }
    return out;
  },
};
