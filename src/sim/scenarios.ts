/**
 * Scenarios: the workloads a run deploys and the faults it injects. Each fault registers an
 * incident (truth/incidents.json) whose id tags every line that shows it.
 */
import type { App, Pod } from './model.js';
import { rollout, createDeployment } from './behave/controllers.js';
import { lookup, slowApply, type DnsTrouble } from './behave/background.js';
import { etcdObjs } from './behave/bootstrap.js';
import { probeCycle } from './behave/pods.js';
import { ref } from './format/klog.js';
import { injectAdmissionWebhookFailure, injectApiserverEtcdUnreachable, injectEvictionChurn, injectLeaderElectionLost, injectTlsFailure, injectVolumeMountFailure, rootOnFirstPod } from './faults.js';
import { ETCD, KUBELET, SYSTEMD } from './templates/index.js';
import { MS, SEC, type Incident, type NodeState, type World } from './world.js';

export { SCENARIOS, isScenario, type ScenarioName } from './scenario-names.js';
import type { ScenarioName } from './scenario-names.js';

/**
 * Control-plane nodes a scenario needs (an etcd election needs a quorum of three). `mixed` runs
 * an HA control plane, and so includes the etcd leader loss, when it has six nodes or more.
 */
export function controlPlanesFor(s: ScenarioName, nodes: number | undefined): number {
  if (s === 'etcd-leader-loss') return 3;
  if (s === 'mixed') return (nodes ?? 6) >= 6 ? 3 : 1;
  return 1;
}

export function appsFor(s: ScenarioName): App[] {
  const apps: App[] = [
    { namespace: 'default', name: 'web', container: 'nginx', image: 'nginx:1.27.3', replicas: 3, cpuMilli: 100, port: 80, portName: 'http', probe: 'http', lookups: ['checkout.shop.svc.cluster.local.', 'api.github.com.'] },
    { namespace: 'shop', name: 'checkout', container: 'checkout', image: 'ghcr.io/example/checkout:1.8.0', replicas: 2, cpuMilli: 200, port: 8080, portName: 'http', probe: 'http', lookups: ['cache.shop.svc.cluster.local.', 'api.stripe.com.'] },
    { namespace: 'shop', name: 'cache', container: 'redis', image: 'redis:7.4.2', replicas: 1, cpuMilli: 100, port: 6379, portName: 'redis', probe: 'tcp', lookups: [] },
  ];
  if (s === 'mixed') {
    apps.push({ namespace: 'batch', name: 'worker', container: 'worker', image: 'ghcr.io/example/worker:3.2.0', replicas: 4, cpuMilli: 250, port: 9090, portName: 'metrics', probe: 'http', lookups: ['sqs.eu-west-1.amazonaws.com.', 'checkout.shop.svc.cluster.local.'] });
  }
  return apps;
}

function app(w: World, name: string): App {
  return w.apps.find((a) => a.name === name)!;
}

export function injectImagePullBackoff(w: World, t: number): void {
  const inc = w.incident('image-pull-backoff', '', t, w.end, ['kubelet', 'kube-controller-manager', 'kube-apiserver', 'audit', 'event']);
  w.at(t, () => {
    rollout(w, w.now, app(w, 'web').deployment!, 'nginx:1.27.99', { kind: 'image-not-found' }, inc.id);
    rootOnFirstPod(w, inc);
  });
}

export function injectCrashloop(w: World, t: number, oom = false): void {
  const inc = w.incident(oom ? 'oom-kill' : 'crashloop', '', t, w.end, ['kubelet', 'kube-controller-manager', 'kube-apiserver', 'audit', 'event']);
  const target = oom ? 'worker' : 'checkout';
  const image = oom ? 'ghcr.io/example/worker:3.3.0' : 'ghcr.io/example/checkout:1.9.0';
  const fault: Pod['fault'] = oom ? { kind: 'oom' } : { kind: 'crash', exitCode: 1, afterMs: 1500 };
  w.at(t, () => {
    rollout(w, w.now, app(w, target).deployment!, image, fault, inc.id);
    rootOnFirstPod(w, inc);
  });
}

export function injectUnschedulable(w: World, t: number): void {
  const reason = w.rng.chance(0.5) ? 'cpu' : 'taint';
  const inc = w.incident('unschedulable', '', t, w.end, ['kube-scheduler', 'kube-controller-manager', 'kube-apiserver', 'audit', 'event']);
  w.at(t, () => {
    const report: App = { namespace: 'batch', name: 'report', container: 'report', image: 'ghcr.io/example/report:1.0.0', replicas: 2, cpuMilli: 500, port: 8080, portName: 'http', probe: 'http', lookups: [] };
    w.nsObj('batch');
    createDeployment(w, w.now, report, { kind: 'unschedulable', reason }, inc.id);
    rootOnFirstPod(w, inc);
  });
}

export function injectNodeNotReady(w: World, t: number): void {
  const victim = w.workers[w.workers.length - 1];
  if (!victim) return;
  const inc = w.incident('node-not-ready', victim.uid, t, w.end, ['kubelet', 'kube-controller-manager', 'kube-scheduler', 'kube-apiserver', 'audit', 'event']);
  (victim as NodeState & { incident?: string }).incident = inc.id;
  w.at(t, () => {
    const objs = [victim.uid];
    victim.systemdKubelet.log(w.now, SYSTEMD.stoppingKubelet, {}, objs, inc.id);
    victim.kubeletUp = false;
    victim.systemdKubelet.log(w.now + 120 * MS, SYSTEMD.kubeletDeactivated, {}, objs, inc.id);
    victim.systemdKubelet.log(w.now + 121 * MS, SYSTEMD.stoppedKubelet, {}, objs, inc.id);
  });
}

/** The leader's disk stalls: late heartbeats, a new election, failing then slow requests. */
export function injectEtcdLeaderLoss(w: World, t: number): void {
  const cps = w.controlPlanes;
  if (cps.length < 3) return;
  const old = cps[0]!;
  const inc = w.incident('etcd-leader-loss', '', t, t + 40 * SEC, ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubelet', 'audit']);
  const id = inc.id;
  w.at(t, () => {
    inc.root = etcdObjs(w, old)[0] ?? old.uid;
    const oid = old.memberId!;
    const oe = old.etcd!;
    const oobjs = etcdObjs(w, old);
    w.etcdIncident = id;
    w.etcdSlow = 400 * MS;
    for (let i = 0; i < 3; i++) {
      for (const p of cps.slice(1)) {
        oe.log(w.now + i * 300 * MS + 2 * MS, ETCD.heartbeatLate, { to: p.memberId!, 'heartbeat-interval': '100ms', 'expected-duration': '200ms', 'exceeded-duration': goDur(600 + i * 300) }, oobjs, id);
      }
    }
    slowApply(w, w.now + 500 * MS, id, 1800 * MS + w.rng.int(300 * MS));
    // The followers' election timeout (1 s) fires: the second member wins the next term.
    const term = ((w as World & { term?: number }).term ?? 2) + 1;
    (w as World & { term?: number }).term = term;
    const e2 = cps[1]!;
    const nid = e2.memberId!;
    const ne = e2.etcd!;
    const nobjs = etcdObjs(w, e2);
    const et = w.now + 1200 * MS;
    ne.log(et + MS, ETCD.startElection, { id: nid, term: term - 1 }, nobjs, id);
    ne.log(et + MS, ETCD.becamePreCandidate, { id: nid, term: term - 1 }, nobjs, id);
    ne.log(et + MS, ETCD.receivedPreVoteResp, { id: nid, from: nid, term: term - 1 }, nobjs, id);
    const index = w.revision + 1000;
    ne.log(et + 3 * MS, ETCD.receivedPreVoteResp, { id: nid, from: cps[2]!.memberId!, term: term - 1 }, nobjs, id);
    ne.log(et + 3 * MS, ETCD.becameCandidate, { id: nid, term }, nobjs, id);
    ne.log(et + 3 * MS, ETCD.receivedVoteResp, { id: nid, from: nid, term }, nobjs, id);
    ne.log(et + 3 * MS, ETCD.lostLeader, { id: nid, leader: oid, term }, nobjs, id);
    const f = cps[2]!;
    const fe = f.etcd!;
    const fobjs = etcdObjs(w, f);
    fe.log(et + 4 * MS, ETCD.higherTerm, { id: f.memberId!, term: term - 1, msgType: 'MsgVote', from: nid, newTerm: term }, fobjs, id);
    fe.log(et + 4 * MS, ETCD.becameFollower, { id: f.memberId!, term }, fobjs, id);
    fe.log(et + 4 * MS, ETCD.castVote, { id: f.memberId!, logterm: term - 1, index, to: nid, term }, fobjs, id);
    fe.log(et + 4 * MS, ETCD.lostLeader, { id: f.memberId!, leader: oid, term }, fobjs, id);
    ne.log(et + 6 * MS, ETCD.receivedVoteResp, { id: nid, from: f.memberId!, term }, nobjs, id);
    ne.log(et + 6 * MS, ETCD.becameLeader, { id: nid, term }, nobjs, id);
    ne.log(et + 6 * MS, ETCD.electedLeader, { id: nid, leader: nid, term }, nobjs, id);
    fe.log(et + 8 * MS, ETCD.electedLeader, { id: f.memberId!, leader: nid, term }, fobjs, id);
    // The old leader hears of the new term when its disk unblocks.
    oe.log(et + 1900 * MS, ETCD.higherTerm, { id: oid, term: term - 1, msgType: 'MsgHeartbeat', from: nid, newTerm: term }, oobjs, id);
    oe.log(et + 1900 * MS, ETCD.becameFollower, { id: oid, term }, oobjs, id);
    oe.log(et + 1900 * MS, ETCD.changedLeader, { id: oid, from: oid, leader: nid, term }, oobjs, id);
    w.leaderIdx = 1;
    // No leader for a moment: every request fails; then some still time out until the new
    // leader catches up. Controllers' reads during the gap surely hit it.
    w.at(et, () => {
      w.etcdFailing = 1;
      // The old leader's kubelet renews its node lease through the apiserver beside the stalled
      // etcd: the renewal made in the gap times out 10 s later. Written always (the heartbeat
      // loop's own failures are by chance), so the kubelet the truth names does show the incident.
      old.kubelet.log(w.now + 10 * SEC, KUBELET.leaseUpdateFailed, {
        err: `Put "https://${old.name}:6443/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${old.name}?timeout=10s": context deadline exceeded`,
      }, [old.leaseUid], id);
      for (const [i, lease] of (['kube-controller-manager', 'kube-scheduler'] as const).entries()) {
        w.api(w.now + (200 + i * 350) * MS, {
          client: w.controllerClient(lease === 'kube-scheduler' ? 'default-scheduler' : 'leader-election'),
          verb: 'GET',
          uri: `/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/${lease}?timeout=5s`,
          code: 200,
          latency: w.rng.latency(3 * MS),
          objects: [],
          resource: 'leases',
          namespace: 'kube-system',
          name: lease,
          apiGroup: 'coordination.k8s.io',
        });
      }
    });
    w.at(et + 1500 * MS, () => {
      w.etcdFailing = 0.5;
    });
    // Informers whose watch broke relist during the gap, and fail.
    w.at(et + 300 * MS, () => {
      w.reflectorFailed(w.now, old.scheduler, '*v1.Pod', undefined, 'etcdserver: leader changed', [], id);
      w.reflectorFailed(w.now + 400 * MS, old.cm, '*v1.ReplicaSet', undefined, 'etcdserver: leader changed', [], id);
    });
    w.at(et + 3500 * MS, () => {
      w.etcdFailing = 0;
      w.etcdSlow = 250 * MS;
    });
    for (let i = 0; i < 6; i++) w.at(et + (4 + i * 5) * SEC, () => slowApply(w, w.now, id, w.rng.range(150, 900) * MS));
    w.at(t + 40 * SEC, () => {
      w.etcdSlow = 0;
      w.etcdIncident = null;
    });
  });
}

function goDur(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(9).replace(/0+$/, '')}s` : `${ms}.${String(Math.floor(ms * 7919) % 1000000).padStart(6, '0')}ms`;
}

/** Upstream DNS stops answering for 90 s; a misspelled service name keeps returning NXDOMAIN. */
export function injectDnsFailure(w: World, t: number): void {
  const up = w.incident('dns-upstream-timeout', '', t, t + 90 * SEC, ['coredns']);
  w.at(t, () => {
    up.root = w.objects.find((o) => o.kind === 'Deployment' && o.name === 'coredns')?.uid ?? '';
  });
  const trouble: DnsTrouble = { until: t + 90 * SEC, incident: up.id, upstream: '172.19.0.1:53' };
  (w as World & { dnsTrouble?: DnsTrouble }).dnsTrouble = trouble;
  // Every client keeps asking for its external names through the outage.
  const tick = (): void => {
    if (w.now > trouble.until) return;
    const clients = w.objects.filter((o): o is Pod => o.kind === 'Pod' && !o.deleted && (o as Pod).running && !!(o as Pod).app?.lookups.some((n) => !n.endsWith('.cluster.local.')));
    if (clients.length) {
      const c = w.rng.pick(clients);
      const ext = c.app!.lookups.filter((n) => !n.endsWith('.cluster.local.'));
      lookup(w, w.now, c, w.rng.pick(ext), null);
    }
    w.after(w.rng.range(2, 6) * SEC, tick);
  };
  w.at(t, tick);
  const nx = w.incident('dns-nxdomain', '', t + 20 * SEC, w.end, ['coredns']);
  const typo = (): void => {
    const web = w.objects.filter((o): o is Pod => o.kind === 'Pod' && !o.deleted && (o as Pod).running && (o as Pod).app?.name === 'web');
    if (web.length) {
      const c = web[0]!;
      if (!nx.root) nx.root = c.uid;
      lookup(w, w.now, c, 'chekout.shop.svc.cluster.local.', nx.id);
    }
    w.after(w.rng.range(5, 12) * SEC, typo);
  };
  w.at(t + 20 * SEC, typo);
}

/** The cache's readiness probe starts failing: its Service loses every endpoint. */
export function injectServiceNoEndpoints(w: World, t: number): void {
  const cache = app(w, 'cache');
  const inc = w.incident('service-no-endpoints', '', t, w.end, ['kubelet', 'kube-proxy', 'kube-apiserver', 'audit', 'event']);
  w.at(t, () => {
    inc.root = cache.service?.uid ?? '';
    cache.readinessFault = { since: t, incident: inc.id };
    for (const o of w.objects) {
      const p = o as Pod;
      if (o.kind === 'Pod' && p.app === cache && !o.deleted && !p.terminating) {
        p.fault = { kind: 'readiness', since: t };
        p.incident = inc.id;
        if (p.running) {
          const id = p.container.id;
          w.at(w.now + w.rng.int(3 * SEC), () => probeCycle(w, p, id));
        }
      }
    }
  });
}

/** A fault of one worker's kubelet, rooted at its node: the incident, then `act` at `t`. */
function onWorker(w: World, t: number, last: boolean, kind: string, span: number, act: (victim: NodeState, inc: Incident) => void): void {
  const victim = last ? w.workers[w.workers.length - 1] : w.workers[0];
  if (!victim) return;
  const inc = w.incident(kind, victim.uid, t, t + span, ['kubelet']);
  w.at(t, () => act(victim, inc));
}

/** A worker whose CNI plugin breaks: the pods the kubelet starts there get no sandbox. */
export function injectCniFailure(w: World, t: number): void {
  const err = (sandbox: string): string =>
    `rpc error: code = Unknown desc = failed to setup network for sandbox "${sandbox}": plugin type="calico" failed (add): stat /var/lib/calico/nodename: no such file or directory: check that the calico/node container is running and has mounted /var/lib/calico/`;
  onWorker(w, t, false, 'pod-sandbox-failure', 180 * SEC, (victim, inc) => {
    const pods = w.objects.filter((o): o is Pod => o.kind === 'Pod' && !o.deleted && (o as Pod).node === victim.name && !!(o as Pod).app);
    // The kubelet retries each pod's sandbox with its back-off; every try fails the same way.
    for (let i = 0; i < 6; i++) {
      const pod = pods[i % Math.max(1, pods.length)];
      const podRef = pod ? ref(pod.namespace, pod.name) : 'default/web';
      const objs = pod ? [victim.uid, pod.uid] : [victim.uid];
      victim.kubelet.log(w.now + i * 30 * SEC, KUBELET.sandboxFailed, { err: err(w.rng.hex(64)), pod: podRef }, objs, inc.id);
    }
  });
}

/** A worker's container runtime stops answering: its PLEG goes past the 3-minute threshold. */
export function injectPlegNotHealthy(w: World, t: number): void {
  onWorker(w, t, true, 'pleg-not-healthy', 40 * SEC, (victim, inc) => {
    for (let i = 0; i < 5; i++) {
      const ago = `3m${i * 10}.${String(w.rng.int(1_000_000_000)).padStart(9, '0')}s`;
      victim.kubelet.log(w.now + i * 10 * SEC, KUBELET.skippingSync, { err: `PLEG is not healthy: pleg was last seen active ${ago} ago; threshold is 3m0s` }, [victim.uid], inc.id);
    }
  });
}

/** A worker's disk fills: its kubelet reports DiskPressure (its node condition Event). */
export function injectNodePressure(w: World, t: number): void {
  onWorker(w, t, false, 'node-pressure', 5 * SEC, (victim, inc) => {
    victim.kubelet.log(w.now, KUBELET.nodeEvent, { node: ref(undefined, victim.name), event: 'NodeHasDiskPressure' }, [victim.uid], inc.id);
  });
}

/** The scenarios that inject one fault, by name. */
const SINGLE: Partial<Record<ScenarioName, (w: World, t: number) => void>> = {
  'healthy-rollout': (w, t) => w.at(t, () => rollout(w, w.now, app(w, 'web').deployment!, 'nginx:1.27.4')),
  'image-pull-backoff': injectImagePullBackoff,
  crashloop: (w, t) => injectCrashloop(w, t),
  unschedulable: injectUnschedulable,
  'node-not-ready': injectNodeNotReady,
  'etcd-leader-loss': injectEtcdLeaderLoss,
  'dns-failure': injectDnsFailure,
  'service-no-endpoints': injectServiceNoEndpoints,
  'cni-failure': injectCniFailure,
  'pleg-not-healthy': injectPlegNotHealthy,
  'node-pressure': injectNodePressure,
  'volume-mount-failure': injectVolumeMountFailure,
  'admission-webhook-failure': injectAdmissionWebhookFailure,
  'tls-failure': injectTlsFailure,
  'leader-election-lost': injectLeaderElectionLost,
  'apiserver-etcd-unreachable': injectApiserverEtcdUnreachable,
  'eviction-churn': injectEvictionChurn,
};

export function injectScenario(w: World, s: ScenarioName, at: number): void {
  const single = SINGLE[s];
  if (single) return single(w, at);
  // mixed: the faults one after another over the run.
  const span = w.end - at;
  injectImagePullBackoff(w, at);
  injectCrashloop(w, at + Math.floor(span * 0.1));
  injectCrashloop(w, at + Math.floor(span * 0.15), true);
  injectServiceNoEndpoints(w, at + Math.floor(span * 0.2));
  injectNodeNotReady(w, at + Math.floor(span * 0.25));
  injectDnsFailure(w, at + Math.floor(span * 0.3));
  injectEtcdLeaderLoss(w, at + Math.floor(span * 0.45));
  injectUnschedulable(w, at + Math.floor(span * 0.5));
}
