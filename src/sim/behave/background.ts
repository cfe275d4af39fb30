/**
 * The steady hum of a running cluster, scaled by `scale`: API reads from controllers and users,
 * CoreDNS queries from pods (with the search-path NXDOMAINs every external name causes), etcd
 * compaction every five minutes, an occasional slow etcd apply, and one slow LIST with a huge
 * label selector (its log lines exceed the CRI line limit and are split into P records).
 */
import { goDuration, isoMicros } from '../format/time.js';
import type { App, Pod } from '../model.js';
import type { TextLogger } from '../loggers.js';
import { ref } from '../format/klog.js';
import { APISERVER, COREDNS, ETCD, KUBELET } from '../templates/index.js';
import { MS, SEC, type Client, type NodeState, type World } from '../world.js';
import { etcdObjs } from './bootstrap.js';
import { podLegacyName } from './pods.js';

export interface DnsTrouble {
  until: number;
  incident: string;
  upstream: string;
}

export function startBackground(w: World, from: number): void {
  const scale = w.opts.scale;
  if (scale > 0) {
    w.at(from, () => apiTrafficLoop(w, 1 / (2.5 * scale)));
    w.at(from + SEC, () => dnsLoop(w, 1 / (2 * scale)));
  }
  w.at(w.opts.start + 5 * 60 * SEC, () => compactionLoop(w));
  w.at(from + 30 * SEC + w.rng.int(60 * SEC), () => slowApplyLoop(w));
  const longAt = w.opts.start + Math.floor((w.end - w.opts.start) * 0.62);
  for (const n of w.controlPlanes) w.at(from + w.rng.int(10 * SEC), () => controlPlaneProbes(w, n));
  w.at(from + 60 * SEC + w.rng.int(60 * SEC), () => annotateLoop(w));
  if (w.opts.longLines) w.at(Math.max(longAt, from + 5 * SEC), () => hugeSelectorList(w, w.now));
}

/** Running pods, recomputed at most once per simulated second (the loops below ask often). */
const liveCache = new WeakMap<World, { sec: number; pods: Pod[]; dns: Pod[] }>();
function live(w: World): { pods: Pod[]; dns: Pod[] } {
  const sec = Math.floor(w.now / SEC);
  let c = liveCache.get(w);
  if (!c || c.sec !== sec) {
    const pods = w.objects.filter((o): o is Pod => o.kind === 'Pod' && !o.deleted && (o as Pod).running);
    c = { sec, pods, dns: pods.filter((p) => p.daemon === 'coredns') };
    liveCache.set(w, c);
  }
  return c;
}

function livePods(w: World): Pod[] {
  return live(w).pods;
}

function apiTrafficLoop(w: World, meanGapSec: number): void {
  const pods = livePods(w);
  const r = w.rng.int(6);
  const pod = pods.length ? w.rng.pick(pods) : undefined;
  if (r <= 1 && pod && pod.node) {
    const node = w.node(pod.node);
    if (node.kubeletUp) {
      w.api(w.now, {
        client: w.kubeletClient(node),
        verb: 'GET',
        uri: `/api/v1/namespaces/${pod.namespace}/pods/${pod.name}`,
        code: 200,
        latency: w.rng.latency(2 * MS),
        objects: [pod.uid],
        resource: 'pods',
        namespace: pod.namespace,
        name: pod.name,
      });
    }
  } else if (r === 2) {
    const ns = w.rng.pick(['default', 'shop', 'kube-system']);
    w.api(w.now, { client: w.adminClient(), verb: 'LIST', uri: `/api/v1/namespaces/${ns}/pods?limit=500`, code: 200, latency: w.rng.latency(6 * MS), objects: [], resource: 'pods', namespace: ns });
  } else if (r === 3) {
    w.api(w.now, {
      client: w.controllerClient('generic-garbage-collector'),
      verb: 'WATCH',
      uri: '/apis/apps/v1/replicasets?allowWatchBookmarks=true&resourceVersion=' + w.revision + '&timeout=8m27s&timeoutSeconds=507&watch=true',
      code: 200,
      latency: w.rng.range(300, 507) * SEC,
      objects: [],
      resource: 'replicasets',
      apiGroup: 'apps',
    });
  } else if (r === 4) {
    const app = w.apps.length ? w.rng.pick(w.apps) : undefined;
    if (app?.endpoints) {
      w.api(w.now, {
        client: w.controllerClient('endpoint-controller'),
        verb: 'GET',
        uri: `/api/v1/namespaces/${app.namespace}/endpoints/${app.name}`,
        code: 200,
        latency: w.rng.latency(2 * MS),
        objects: [app.endpoints.uid],
        resource: 'endpoints',
        namespace: app.namespace,
        name: app.name,
      });
    }
  } else {
    w.api(w.now, { client: w.controllerClient('resourcequota-controller'), verb: 'LIST', uri: '/api/v1/namespaces/kube-system/configmaps?limit=500&resourceVersion=0', code: 200, latency: w.rng.latency(3 * MS), objects: [], resource: 'configmaps', namespace: 'kube-system' });
  }
  w.after(Math.max(1, Math.floor(w.rng.exp(meanGapSec) * SEC)), () => apiTrafficLoop(w, meanGapSec));
}

function dnsLoop(w: World, meanGapSec: number): void {
  const clients = livePods(w).filter((p) => p.app && p.app.lookups.length > 0);
  if (clients.length) {
    const client = w.rng.pick(clients);
    const name = w.rng.pick(client.app!.lookups);
    lookup(w, w.now, client, name, null);
  }
  w.after(Math.max(1, Math.floor(w.rng.exp(meanGapSec) * SEC)), () => dnsLoop(w, meanGapSec));
}

function corednsLog(w: World): { log: TextLogger; pod: Pod } | undefined {
  const dns = live(w).dns;
  if (!dns.length) return undefined;
  const pod = w.rng.pick(dns);
  const log = (pod as Pod & { dns?: TextLogger }).dns;
  return log ? { log, pod } : undefined;
}

function serviceFor(w: World, name: string): App | undefined {
  return w.apps.find((a) => name === `${a.name}.${a.namespace}.svc.cluster.local.`);
}

/**
 * A pod resolves `name` (A and AAAA, as glibc does): cluster names answer authoritatively;
 * external names first walk the search path (ndots:5), each step NXDOMAIN.
 */
export function lookup(w: World, t: number, client: Pod, name: string, incident: string | null): void {
  const dns = corednsLog(w);
  if (!dns) return;
  const internal = name.endsWith('.cluster.local.');
  const tries: string[] = internal ? [name] : [`${name}${client.namespace}.svc.cluster.local.`, `${name}svc.cluster.local.`, `${name}cluster.local.`, name];
  let tt = t;
  const trouble = (w as World & { dnsTrouble?: DnsTrouble }).dnsTrouble;
  for (const q of tries) {
    const final = q === name;
    const svc = internal ? serviceFor(w, q) : undefined;
    for (const qtype of ['A', 'AAAA']) {
      const objs = svc?.service ? [client.uid, svc.service.uid] : [client.uid];
      let rcode: string;
      let flags: string;
      let rsize: number;
      let dur: number;
      let inc = incident;
      if (!final || (internal && !svc)) {
        rcode = 'NXDOMAIN';
        flags = 'qr,aa,rd';
        rsize = q.length + 120;
        dur = w.rng.range(40, 300);
      } else if (internal) {
        rcode = 'NOERROR';
        flags = 'qr,aa,rd';
        rsize = qtype === 'A' ? q.length + 60 : q.length + 120;
        dur = w.rng.range(40, 250);
      } else if (trouble && t < trouble.until) {
        // The forward plugin gives up after its read timeout: errors plugin line, then SERVFAIL.
        inc = trouble.incident;
        dur = 2 * SEC + w.rng.range(100, 4000);
        dns.log.log(tt + dur - 100, COREDNS.upstreamError, { name: q, qtype, src: `${dns.pod.ip}:${w.rng.range(32768, 60999)}`, upstream: trouble.upstream }, [dns.pod.uid, client.uid], inc);
        rcode = 'SERVFAIL';
        flags = 'qr,rd';
        rsize = q.length + 17;
      } else {
        rcode = 'NOERROR';
        flags = 'qr,rd,ra';
        rsize = q.length + w.rng.range(40, 200);
        dur = w.rng.range(2000, 40000);
      }
      dns.log.log(tt + dur, COREDNS.query, {
        client: client.ip,
        port: w.rng.range(32768, 60999),
        qid: w.rng.int(65536),
        qtype,
        name: q,
        proto: 'udp',
        size: q.length + 17,
        do: 'false',
        bufsize: 512,
        rcode,
        flags,
        rsize,
        duration: (dur / SEC).toFixed(9).replace(/0+$/, ''),
      }, objs, inc);
    }
    tt += w.rng.range(1, 3) * MS;
  }
}

function compactionLoop(w: World): void {
  const cps = w.controlPlanes;
  const leader = cps[w.leaderIdx] ?? cps[0]!;
  const rev = Math.max(1, w.revision - w.rng.range(50, 400));
  leader.apiserver?.f(w.now + 20 * MS, APISERVER.compacted, { rev, endpoints: `[https://127.0.0.1:2379]` });
  for (const n of cps) {
    const took = w.rng.range(800, 6000);
    n.etcd?.log(w.now + 15 * MS, ETCD.compactIndex, { revision: rev }, etcdObjs(w, n));
    const size = 2_000_000 + w.revision * 180;
    n.etcd?.log(w.now + 15 * MS + took, ETCD.compactDone, {
      'compact-revision': rev,
      took: goDuration(took),
      hash: w.rng.u32(),
      'current-db-size-bytes': size,
      'current-db-size': `${(size / 1e6).toFixed(1)} MB`,
      'current-db-size-in-use-bytes': Math.floor(size * 0.6),
      'current-db-size-in-use': `${((size * 0.6) / 1e6).toFixed(1)} MB`,
    }, etcdObjs(w, n));
  }
  w.after(5 * 60 * SEC, () => compactionLoop(w));
}

/** etcd's "apply request took too long" (and its trace) for a read now and then. */
export function slowApply(w: World, t: number, incident: string | null, tookUs: number): void {
  const cps = w.controlPlanes;
  const leader = cps[w.leaderIdx] ?? cps[0]!;
  const e = leader.etcd;
  if (!e) return;
  const pods = livePods(w);
  const pod = pods.length ? w.rng.pick(pods) : undefined;
  const key = pod ? `/registry/pods/${pod.namespace}/${pod.name}` : '/registry/health';
  const objs = pod ? [...etcdObjs(w, leader), pod.uid] : etcdObjs(w, leader);
  const rev = w.revision;
  e.log(t, ETCD.slowApply, {
    took: goDuration(tookUs),
    'expected-duration': '100ms',
    prefix: 'read-only range ',
    request: `key:"${key}" `,
    response: `range_response_count:1 size:${w.rng.range(2500, 4800)}`,
  }, objs, incident);
  if (!w.legacy) {
    const id = w.rng.range(100_000_000, 2_000_000_000);
    const local = t;
    e.log(t + 10, ETCD.trace, {
      id,
      op: 'range',
      detail: `{range_begin:${key}; range_end:; response_count:1; response_revision:${rev}; }`,
      duration: goDuration(tookUs + 120),
      start: isoMicros(local - tookUs),
      end: isoMicros(local),
      steps: [`trace[${id}] 'agreement among raft nodes before linearized reading'  (duration: ${goDuration(tookUs - 40)})`],
      step_count: 1,
    }, objs, incident);
  }
}

function slowApplyLoop(w: World): void {
  slowApply(w, w.now, null, w.rng.range(101, 180) * MS + w.rng.int(1000));
  w.after(Math.floor(w.rng.exp(120 / Math.sqrt(Math.max(0.05, w.opts.scale))) * SEC) + 10 * SEC, () => slowApplyLoop(w));
}

/** A slow LIST with a label selector naming hundreds of apps: a >16 KiB URI, trace and all. */
function hugeSelectorList(w: World, t: number): void {
  const names: string[] = [];
  for (let i = 0; i < 1300; i++) names.push(`tenant-${w.rng.nameSuffix(6)}`);
  const selector = encodeURIComponent(`app.kubernetes.io/instance in (${names.join(',')})`);
  const client: Client = { ...w.adminClient(), agent: `kubectl/${w.version} (linux/amd64) kubernetes/67a30c0` };
  w.api(t, {
    client,
    verb: 'LIST',
    uri: `/api/v1/pods?labelSelector=${selector}&limit=500`,
    code: 200,
    latency: 1200 * MS + w.rng.int(400 * MS),
    objects: [],
    resource: 'pods',
  });
}

/**
 * The kubelet probes each kube-apiserver (/livez and /readyz, every 10 s): the apiserver logs the
 * requests (kube-probe user agent); while etcd has no leader /readyz fails and the kubelet logs the
 * failed readiness probe.
 */
export function controlPlaneProbes(w: World, node: NodeState): void {
  const pod = [...node.pods].find((p) => p.name === `kube-apiserver-${node.name}`);
  if (pod && node.kubeletUp && node.apiserver) {
    const client: Client = { user: 'system:anonymous', groups: ['system:unauthenticated'], agent: `kube-probe/${w.version.slice(1, w.version.lastIndexOf('.'))}`, ip: node.ip };
    const failing = w.etcdFailing > 0;
    for (const path of ['/livez', '/readyz']) {
      const code = failing && path === '/readyz' ? 500 : 200;
      w.api(w.now + (path === '/readyz' ? 3 * SEC : 0), {
        client,
        verb: 'GET',
        uri: path,
        code,
        latency: w.rng.latency(code === 200 ? 2 * MS : 40 * MS),
        objects: [],
        resource: '',
        probe: true,
        server: node,
      });
      if (code !== 200) {
        node.kubelet.log(w.now + 3 * SEC + 50 * MS, KUBELET.probeFailed, {
          probeType: 'Readiness',
          pod: ref(pod.namespace, pod.name),
          podUID: pod.uid,
          containerName: 'kube-apiserver',
          probeResult: 'failure',
          output: 'HTTP probe failed with statuscode: 500',
          podLegacy: podLegacyName(pod),
        }, [pod.uid], w.etcdIncident);
      }
    }
  }
  w.after(10 * SEC, () => controlPlaneProbes(w, node));
}

/** Now and then someone annotates a running pod: the kubelet sees an UPDATE from the API. */
function annotateLoop(w: World): void {
  const pods = livePods(w).filter((p) => p.app && p.node);
  if (pods.length) {
    const pod = w.rng.pick(pods);
    const node = w.node(pod.node!);
    w.api(w.now, {
      client: w.adminClient(),
      verb: 'PATCH',
      uri: `/api/v1/namespaces/${pod.namespace}/pods/${pod.name}?fieldManager=kubectl-annotate`,
      code: 200,
      latency: w.rng.latency(6 * MS),
      objects: [pod.uid],
      resource: 'pods',
      namespace: pod.namespace,
      name: pod.name,
    });
    if (node.kubeletUp) {
      node.kubelet.log(w.now + w.rng.range(5, 30) * MS, KUBELET.syncLoopUpdate, { source: 'api', pods: [`${pod.namespace}/${pod.name}`], podsLegacy: podLegacyName(pod) }, [pod.uid]);
    }
  }
  w.after(Math.floor(w.rng.exp(180) * SEC) + 20 * SEC, () => annotateLoop(w));
}
