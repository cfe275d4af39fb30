/**
 * Cluster creation as `kind create cluster` does it: nodes boot (systemd, containerd, kubelet),
 * the control plane's static pods start, etcd elects a leader, the apiserver serves, the
 * scheduler and controller-manager take their leases, nodes register and become Ready,
 * kube-proxy (DaemonSet) and CoreDNS (Deployment) start; then the workloads are applied.
 */
import { ref, raw } from '../format/klog.js';
import type { App, Obj } from '../model.js';
import { JournalChannel } from '../channels.js';
import { TextLogger } from '../loggers.js';
import { APISERVER, CONTAINERD, CONTROLLER_MANAGER, ETCD, EVENTS, KUBELET, SCHEDULER, SYSTEMD } from '../templates/index.js';
import { text } from '../templates/define.js';
import { MS, SEC, type NodeState, type World } from '../world.js';
import { apiserverBuiltins, cmLeading, etcdServing } from './components.js';
import { createDeployment, monitorNodes, proxyServiceAdded } from './controllers.js';
import { createPod, kubeletAdd, preloadImage } from './pods.js';

const JOURNALD = text('systemd.journald', 'systemd', 'Journal started');

export interface Bootstrap {
  /** When the workloads are all up (scenarios start after this). */
  appsReady: number;
}

export function bootstrap(w: World, apps: App[]): Bootstrap {
  const t0 = w.opts.start;
  const cpCount = w.opts.controlPlanes;
  const workerCount = Math.max(0, w.opts.nodes - cpCount);
  w.clusterId = w.rng.hex(16);
  for (let i = 0; i < cpCount; i++) {
    const n = w.addNode(i === 0 ? 'kind-control-plane' : `kind-control-plane${i + 1}`, 'control-plane', i);
    n.memberId = w.rng.hex(16).replace(/^0+/, '');
  }
  for (let i = 0; i < workerCount; i++) w.addNode(i === 0 ? 'kind-worker' : `kind-worker${i + 1}`, 'worker', cpCount + i);
  for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) w.nsObj(ns);

  const images = [
    `registry.k8s.io/etcd:${w.legacy ? '3.4.13-0' : '3.5.16-0'}`,
    `registry.k8s.io/kube-apiserver:${w.version}`,
    `registry.k8s.io/kube-controller-manager:${w.version}`,
    `registry.k8s.io/kube-scheduler:${w.version}`,
    `registry.k8s.io/kube-proxy:${w.version}`,
    `registry.k8s.io/coredns/coredns:${w.legacy ? 'v1.7.0' : 'v1.11.3'}`,
  ];
  for (const n of w.nodes) for (const img of images) preloadImage(w, n, img);

  // Nodes boot: control planes first, workers join after kubeadm init (~20 s).
  for (const n of w.nodes) {
    const boot = t0 + (n.role === 'control-plane' ? 0 : 20 * SEC + w.rng.int(2 * SEC));
    w.at(boot, () => nodeBoot(w, w.now, n, images));
  }
  const cp = w.controlPlanes[0]!;
  const etcdUp = t0 + 7 * SEC;
  w.at(etcdUp, () => electInitialLeader(w, w.now));
  const apiReady = t0 + 9 * SEC;
  w.at(apiReady, () => apiserverBuiltins(w, w.now, cp));
  // Leader leases and the controllers behind them.
  const cmLease = w.newObj('Lease', 'kube-system', 'kube-controller-manager', []);
  const schedLease = w.newObj('Lease', 'kube-system', 'kube-scheduler', []);
  w.at(t0 + 11 * SEC, () => {
    const holder = `${cp.name}_${w.rng.uuid()}`;
    cmLeading(w, w.now, cp, holder, cmLease.uid);
    for (const other of w.controlPlanes.slice(1)) other.cm?.f(w.now + 2 * SEC, CONTROLLER_MANAGER.acquiring, { lease: 'kube-system/kube-controller-manager' });
    leaseLoop(w, cmLease, 'kube-controller-manager', cp);
    for (const n of w.nodes) if (n.kubeletUp) registerNodeWithCm(w, w.now + 3 * SEC, n);
    w.at(w.now + 5 * SEC, () => monitorLoop(w));
  });
  w.at(t0 + 13 * SEC, () => {
    cp.scheduler?.f(w.now, SCHEDULER.acquired, { lease: 'kube-system/kube-scheduler' }, [schedLease.uid]);
    leaseLoop(w, schedLease, 'kube-scheduler', cp);
  });
  // CoreDNS and kube-proxy, created by kubeadm's addons phase.
  w.at(t0 + 14 * SEC, () => {
    const ds = w.newObj('DaemonSet', 'kube-system', 'kube-proxy', []);
    (w as World & { proxyDs?: Obj }).proxyDs = ds;
    for (const n of w.nodes) if (n.kubeletUp) createProxyPod(w, w.now + w.rng.int(50 * MS), n);
    const dns: App = { namespace: 'kube-system', name: 'coredns', container: 'coredns', image: images[5]!, replicas: 2, cpuMilli: 100, port: 53, portName: 'dns', probe: 'http', lookups: [] };
    createDeployment(w, w.now + 100 * MS, dns);
  });
  // Workloads.
  const appsAt = t0 + 45 * SEC;
  let tt = appsAt;
  for (const app of apps) {
    w.apps.push(app);
    const at = tt;
    w.at(at, () => createApp(w, w.now, app));
    tt += w.rng.range(2, 5) * SEC;
  }
  return { appsReady: tt + 25 * SEC };
}

function createApp(w: World, t: number, app: App): void {
  w.nsObj(app.namespace);
  createDeployment(w, t, app);
  const svc = w.newObj('Service', app.namespace, app.name, []);
  app.service = svc;
  app.clusterIP = w.nextServiceIp();
  app.endpoints = w.newObj('Endpoints', app.namespace, app.name, [svc.uid]);
  app.slice = w.newObj('EndpointSlice', app.namespace, `${app.name}-${w.rng.nameSuffix()}`, [svc.uid]);
  w.api(t + 300 * MS, {
    client: w.adminClient(),
    verb: 'POST',
    uri: `/api/v1/namespaces/${app.namespace}/services?fieldManager=kubectl-client-side-apply&fieldValidation=Strict`,
    code: 201,
    latency: w.rng.latency(9 * MS),
    objects: [svc.uid],
    resource: 'services',
    namespace: app.namespace,
  });
  const api = w.controlPlanes[0]!.apiserver;
  api?.log(t + 305 * MS, APISERVER.allocatedIPs, { service: ref(app.namespace, app.name), clusterIPs: raw(`{"IPv4":"${app.clusterIP}"}`, { IPv4: app.clusterIP }) }, [svc.uid]);
  for (const n of w.nodes) proxyServiceAdded(w, t + w.rng.range(320, 600) * MS, n, app);
}


function nodeBoot(w: World, t: number, n: NodeState, images: string[]): void {
  const journald = new TextLogger(w, new JournalChannel(n.journal, `systemd-journald[${w.rng.range(90, 170)}]`, null));
  journald.log(t, JOURNALD);
  n.systemdContainerd.log(t + 150 * MS, SYSTEMD.startingContainerd);
  n.containerd.log(t + 160 * MS, CONTAINERD.starting, { revision: 'c507a0257ea6462fbd6f5ba4f5c74facb04021f4', version: 'v2.0.2' }, [], null, w.rng.int(1000));
  n.containerd.log(t + 265 * MS, CONTAINERD.booted, { secs: (0.09 + w.rng.next() * 0.05).toFixed(6) }, [], null, w.rng.int(1000));
  n.systemdContainerd.log(t + 266 * MS, SYSTEMD.startedContainerd);
  const kt = t + 3 * SEC + w.rng.int(500 * MS);
  w.at(kt, () => kubeletStart(w, w.now, n, images));
}

function kubeletStart(w: World, t: number, n: NodeState, images: string[]): void {
  n.systemdKubelet.log(t, SYSTEMD.startingKubelet);
  n.systemdKubelet.log(t + MS, SYSTEMD.startedKubelet);
  n.kubeletUp = true;
  const k = n.kubelet;
  let tt = t + 40 * MS;
  k.text(tt, KUBELET.flagDeprecated, { flag: 'container-runtime-endpoint' });
  tt += 150 * MS;
  k.log(tt, KUBELET.version, { kubeletVersion: w.version });
  k.log(tt + 60, KUBELET.golang, { GOGC: '', GOMAXPROCS: '', GOTRACEBACK: '' });
  k.log(tt + 300, KUBELET.clientRotation, {});
  k.log(tt + 6 * MS, KUBELET.startingController, { name: 'client-ca-bundle::/etc/kubernetes/pki/ca.crt' });
  k.log(tt + 17 * MS, KUBELET.cgroupDriver, { cgroupDriver: 'systemd' });
  k.log(tt + 31 * MS, KUBELET.cgroupRoot, { cgroupRoot: ['kubelet'] });
  k.log(tt + 32 * MS, KUBELET.topology, {});
  k.log(tt + 32 * MS, KUBELET.devicePlugin, {});
  k.log(tt + 33 * MS, KUBELET.stateStore, {});
  k.log(tt + 34 * MS, KUBELET.syncNode, {});
  if (n.role === 'control-plane') k.log(tt + 34 * MS, KUBELET.staticPodPath, { path: '/etc/kubernetes/manifests' });
  k.log(tt + 34 * MS, KUBELET.apiserverSource, {});
  k.log(tt + 34 * MS, KUBELET.waitingNodeSync, {});
  k.log(tt + 35 * MS, KUBELET.runtimeInitialized, { containerRuntime: 'containerd', version: 'v2.0.2', apiVersion: 'v1' });
  k.log(tt + 38 * MS, KUBELET.started, {});
  k.log(tt + 41 * MS, KUBELET.listening, { address: '0.0.0.0', port: 10250 });
  k.log(tt + 43 * MS, KUBELET.fsAnalyzer, {});
  k.log(tt + 43 * MS, KUBELET.volumeManager, {});
  k.log(tt + 44 * MS, KUBELET.populator, {});
  k.log(tt + 44 * MS, KUBELET.reconciler, {});
  k.log(tt + 57 * MS, KUBELET.iptablesInit, { protocol: 'IPv4' });
  k.log(tt + 59 * MS, KUBELET.iptablesInit, { protocol: 'IPv6' });
  k.log(tt + 60 * MS, KUBELET.statusManager, {});
  k.log(tt + 61 * MS, KUBELET.mainSyncLoop, {});
  k.log(tt + 61 * MS, KUBELET.cpuManager, { policy: 'none' });
  k.log(tt + 77 * MS, KUBELET.memoryManager, { policy: 'None' });
  k.log(tt + 96 * MS, KUBELET.evictionLoop, {});
  k.log(tt + 97 * MS, KUBELET.pluginManager, {});
  if (n.role === 'control-plane') {
    const idx = w.controlPlanes.indexOf(n);
    const comps = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler'];
    comps.forEach((c, i) => {
      const pod = createPod(w, tt + 180 * MS, {
        namespace: 'kube-system',
        name: `${c}-${n.name}`,
        container: c,
        image: images[i]!,
        owners: [n.uid],
        static: true,
        node: n.name,
        cpuMilli: 250,
        uid: w.rng.hex(32),
      });
      n.pods.add(pod);
      n.usedCpu += 250;
      w.at(tt + 200 * MS + i * 3 * MS + idx * MS, () => kubeletAdd(w, w.now, pod));
    });
  }
  // Registration once the apiserver answers; until then the kubelet's informers cannot list.
  const regAt = Math.max(t + 1 * SEC, w.opts.start + 9 * SEC + 200 * MS);
  if (regAt - t > 2 * SEC) {
    const api = `https://${w.controlPlanes[0]!.name}:6443`;
    const refused = `dial tcp ${w.controlPlanes[0]!.ip}:6443: connect: connection refused`;
    w.reflectorFailed(tt + 40 * MS, k, '*v1.Service', `${api}/api/v1/services?fieldSelector=spec.clusterIP%21%3DNone&limit=500&resourceVersion=0`, refused, [], null);
    w.reflectorFailed(tt + 41 * MS, k, '*v1.Node', `${api}/api/v1/nodes?fieldSelector=metadata.name%3D${n.name}&limit=500&resourceVersion=0`, refused, [n.uid], null);
    w.reflectorFailed(tt + 1100 * MS, k, '*v1.CSIDriver', `${api}/apis/storage.k8s.io/v1/csidrivers?limit=500&resourceVersion=0`, refused, [], null);
  }
  w.at(regAt, () => registerNode(w, w.now, n));
}

function registerNode(w: World, t: number, n: NodeState): void {
  const k = n.kubelet;
  const nodeObj = w.register<Obj>({ uid: n.uid, kind: 'Node', name: n.name, owners: [] }, t);
  w.register<Obj>({ uid: n.leaseUid, kind: 'Lease', namespace: 'kube-node-lease', name: n.name, owners: [n.uid] }, t);
  k.log(t, KUBELET.registerNode, { node: ref(undefined, n.name) }, [n.uid]);
  w.api(t + MS, {
    client: w.kubeletClient(n),
    verb: 'POST',
    uri: '/api/v1/nodes',
    code: 201,
    latency: w.rng.latency(8 * MS),
    objects: [n.uid],
    resource: 'nodes',
    created: nodeObj,
  });
  k.log(t + 12 * MS, KUBELET.registeredNode, { node: ref(undefined, n.name) }, [n.uid]);
  for (const ev of ['NodeHasSufficientMemory', 'NodeHasNoDiskPressure', 'NodeHasSufficientPID']) {
    k.log(t + 13 * MS, KUBELET.nodeEvent, { node: ref(undefined, n.name), event: ev }, [n.uid]);
    w.event(t + 14 * MS, EVENTS.nodeStatus, { node: n.name, reason: ev }, nodeObj, null, n);
  }
  k.log(t + 700 * MS, KUBELET.watchingApiserver, {});
  k.log(t + 710 * MS, KUBELET.populated, {});
  w.at(t + 720 * MS, () => heartbeatLoop(w, n));
  if (w.cmLeader()?.cm && w.now > w.opts.start + 12 * SEC) registerNodeWithCm(w, t + 50 * MS, n);
  // The CNI (kindnet) is up about ten seconds later: the node turns Ready.
  w.at(t + (9 + w.rng.next() * 4) * SEC, () => {
    n.ready = true;
    n.lastHeartbeat = w.now;
    k.log(w.now, KUBELET.fastReady, {});
    k.log(w.now + MS, KUBELET.nodeEvent, { node: ref(undefined, n.name), event: 'NodeReady' }, [n.uid]);
    w.event(w.now + 2 * MS, EVENTS.nodeStatus, { node: n.name, reason: 'NodeReady' }, nodeObj, null, n);
  });
}

function registerNodeWithCm(w: World, t: number, n: NodeState): void {
  const cm = w.cmLeader()?.cm;
  if (!cm || (n as NodeState & { ipam?: boolean }).ipam) return;
  (n as NodeState & { ipam?: boolean }).ipam = true;
  w.at(t, () => {
    cm.log(w.now, CONTROLLER_MANAGER.setPodCidr, { logger: 'node-ipam-controller', node: ref(undefined, n.name), podCIDRs: [n.podCidr] }, [n.uid]);
    cm.log(w.now + MS, CONTROLLER_MANAGER.ipamSynced, { logger: 'node-ipam-controller', key: n.name }, [n.uid]);
    cm.log(w.now + 2 * MS, CONTROLLER_MANAGER.missingTimestamp, { logger: 'node-lifecycle-controller', node: ref(undefined, n.name) }, [n.uid]);
    const nodeObj = w.objects.find((o) => o.uid === n.uid);
    if (nodeObj) w.event(w.now + 3 * MS, EVENTS.registeredNode, { node: n.name }, nodeObj, null);
    n.kubelet.log(w.now + 20 * MS, KUBELET.podCidrCri, { CIDR: n.podCidr });
    n.kubelet.log(w.now + 21 * MS, KUBELET.podCidr, { originalPodCIDR: '', newPodCIDR: n.podCidr });
    const ds = (w as World & { proxyDs?: Obj }).proxyDs;
    if (ds) createProxyPod(w, w.now + 30 * MS, n);
  });
}

function createProxyPod(w: World, t: number, n: NodeState): void {
  const ds = (w as World & { proxyDs?: Obj }).proxyDs!;
  const marked = n as NodeState & { proxyPod?: boolean };
  if (marked.proxyPod) return;
  marked.proxyPod = true;
  createPod(w, t, {
    namespace: 'kube-system',
    name: `kube-proxy-${w.rng.nameSuffix()}`,
    container: 'kube-proxy',
    image: `registry.k8s.io/kube-proxy:${w.version}`,
    owners: [ds.uid],
    daemon: 'kube-proxy',
    node: n.name,
    cpuMilli: 0,
  });
}

/** etcd's first election: the first member wins term 2; the others follow. */
function electInitialLeader(w: World, t: number): void {
  const cps = w.controlPlanes;
  const leader = cps[0]!;
  const lid = leader.memberId!;
  const e = leader.etcd;
  if (!e) return;
  const objs = etcdObjs(w, leader);
  e.log(t, ETCD.startElection, { id: lid, term: 1 }, objs);
  e.log(t + 130, ETCD.becamePreCandidate, { id: lid, term: 1 }, objs);
  e.log(t + 170, ETCD.receivedPreVoteResp, { id: lid, from: lid, term: 1 }, objs);
  e.log(t + 3 * MS, ETCD.becameCandidate, { id: lid, term: 2 }, objs);
  e.log(t + 3 * MS, ETCD.receivedVoteResp, { id: lid, from: lid, term: 2 }, objs);
  for (const p of cps.slice(1)) {
    const pe = p.etcd;
    const pobjs = etcdObjs(w, p);
    pe?.log(t + 4 * MS, ETCD.higherTerm, { id: p.memberId!, term: 1, msgType: 'MsgVote', from: lid, newTerm: 2 }, pobjs);
    pe?.log(t + 4 * MS, ETCD.becameFollower, { id: p.memberId!, term: 2 }, pobjs);
    pe?.log(t + 4 * MS, ETCD.castVote, { id: p.memberId!, logterm: 1, index: 3, to: lid, term: 2 }, pobjs);
    pe?.log(t + 6 * MS, ETCD.electedLeader, { id: p.memberId!, leader: lid, term: 2 }, pobjs);
    e.log(t + 5 * MS, ETCD.receivedVoteResp, { id: lid, from: p.memberId!, term: 2 }, objs);
  }
  e.log(t + 5 * MS, ETCD.becameLeader, { id: lid, term: 2 }, objs);
  e.log(t + 5 * MS, ETCD.electedLeader, { id: lid, leader: lid, term: 2 }, objs);
  (w as World & { term?: number }).term = 2;
  for (const p of cps) if (p.etcd) etcdServing(w, t + 7 * MS, p, etcdObjs(w, p));
}

export function etcdObjs(_w: World, n: NodeState): string[] {
  const pod = [...n.pods].find((p) => p.name === `etcd-${n.name}`);
  return pod ? [pod.uid] : [];
}

/** A kubelet's heartbeat: its Lease renewed every 10 s while it runs. */
function heartbeatLoop(w: World, n: NodeState): void {
  if (!n.kubeletUp) return;
  if (n.ready) n.lastHeartbeat = w.now;
  w.api(w.now, {
    client: w.kubeletClient(n),
    verb: 'PUT',
    uri: `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${n.name}?timeout=10s`,
    code: 200,
    latency: w.rng.latency(4 * MS),
    objects: [n.leaseUid],
    resource: 'leases',
    namespace: 'kube-node-lease',
    name: n.name,
    apiGroup: 'coordination.k8s.io',
  });
  if (w.etcdFailing > 0 && w.rng.chance(0.5)) {
    n.kubelet.log(w.now + 10 * SEC - 5 * MS, KUBELET.leaseUpdateFailed, {
      err: `Put "https://${w.controlPlanes[0]!.name}:6443/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${n.name}?timeout=10s": context deadline exceeded`,
    }, [n.leaseUid], w.etcdIncident);
  }
  w.after(10 * SEC + w.rng.int(400 * MS), () => heartbeatLoop(w, n));
}

/** A leader's lease renewal every 2 s; during etcd trouble some renewals fail and are logged. */
/** A leader lease whose renewals stop reaching the apiserver until `blockedUntil` (leader-election-lost). */
export type LeaderLease = Obj & { blockedUntil?: number };

function leaseLoop(w: World, lease: LeaderLease, component: 'kube-controller-manager' | 'kube-scheduler', node: NodeState): void {
  const client = component === 'kube-scheduler' ? w.controllerClient('default-scheduler') : w.controllerClient('leader-election');
  if (w.now < (lease.blockedUntil ?? 0)) {
    w.after(2 * SEC + w.rng.int(100 * MS), () => leaseLoop(w, lease, component, node));
    return;
  }
  w.api(w.now, {
    client: { ...client, agent: `${client.agent}/leader-election` },
    verb: 'PUT',
    uri: `/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/${component}?timeout=5s`,
    code: 200,
    latency: w.rng.latency(4 * MS),
    objects: [lease.uid],
    resource: 'leases',
    namespace: 'kube-system',
    name: component,
    apiGroup: 'coordination.k8s.io',
  });
  if (w.etcdFailing > 0 && w.rng.chance(0.6)) {
    const log = component === 'kube-scheduler' ? node.scheduler : node.cm;
    const tpl = component === 'kube-scheduler' ? SCHEDULER.lockError : CONTROLLER_MANAGER.lockError;
    log?.f(w.now + 5 * SEC, tpl, {
      lease: `kube-system/${component}`,
      err: `Get "https://${node.name}:6443/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/${component}?timeout=5s": context deadline exceeded`,
    }, [lease.uid], w.etcdIncident);
  }
  w.after(2 * SEC + w.rng.int(100 * MS), () => leaseLoop(w, lease, component, node));
}

function monitorLoop(w: World): void {
  monitorNodes(w, w.now);
  w.after(5 * SEC, () => monitorLoop(w));
}

