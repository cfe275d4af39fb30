/**
 * Container logs of the cluster's own components: when a component's container starts, its log
 * opens (CRI file under pods/ and containers/) and it writes its start-up lines; the node keeps the
 * logger so the component's later behaviour writes there.
 */
import { ref, raw } from '../format/klog.js';
import { goDuration } from '../format/time.js';
import type { Pod } from '../model.js';
import { EtcdLogger, KlogLogger, TextLogger } from '../loggers.js';
import { APISERVER, CONTROLLER_MANAGER, COREDNS, ETCD, EVENTS, KUBE_PROXY, SCHEDULER } from '../templates/index.js';
import { MS, SEC, type NodeState, type World } from '../world.js';

export function componentOf(pod: Pod): 'etcd' | 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler' | 'kube-proxy' | 'coredns' | undefined {
  if (pod.daemon) return pod.daemon;
  if (!pod.static) return undefined;
  for (const c of ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler'] as const) if (pod.name.startsWith(c + '-')) return c;
  return undefined;
}

export function startComponentLog(w: World, t: number, pod: Pod): void {
  const comp = componentOf(pod);
  if (!comp) return;
  const node = w.node(pod.node!);
  const ch = w.criChannel(pod);
  const objs = [pod.uid];
  switch (comp) {
    case 'etcd':
      node.etcd = new EtcdLogger(w, ch, w.legacy);
      etcdStartup(w, t + 100 * MS, node, objs);
      break;
    case 'kube-apiserver':
      node.apiserver = new KlogLogger(w, ch, w.klogStyle(1));
      node.audit = w.out.file(`${node.name}/audit/audit.log`);
      apiserverStartup(w, t + 80 * MS, node);
      break;
    case 'kube-controller-manager':
      node.cm = new KlogLogger(w, ch, w.klogStyle(1));
      cmStartup(w, t + 90 * MS, node);
      break;
    case 'kube-scheduler':
      node.scheduler = new KlogLogger(w, ch, w.klogStyle(1));
      schedulerStartup(w, t + 85 * MS, node);
      break;
    case 'kube-proxy':
      node.proxy = new KlogLogger(w, ch, w.klogStyle(1));
      proxyStartup(w, t + 120 * MS, node);
      break;
    case 'coredns': {
      const log = new TextLogger(w, ch);
      (pod as Pod & { dns?: TextLogger }).dns = log;
      log.log(t + 200 * MS, COREDNS.listen);
      log.log(t + 200 * MS, COREDNS.reload, { sha: corednsSha(w) });
      log.log(t + 200 * MS, COREDNS.version, { version: w.legacy ? '1.7.0' : '1.11.3' });
      log.log(t + 200 * MS, COREDNS.build, w.legacy ? { go: '1.14.4', commit: 'f59c03d' } : { go: '1.21.11', commit: 'a6338e9' });
      break;
    }
  }
}

/** One Corefile, one configuration hash for every CoreDNS replica of a run. */
const shaByWorld = new WeakMap<World, string>();
function corednsSha(w: World): string {
  let sha = shaByWorld.get(w);
  if (!sha) {
    sha = w.rng.hex(128);
    shaByWorld.set(w, sha);
  }
  return sha;
}

export function etcdStartup(w: World, t: number, node: NodeState, objs: readonly string[]): void {
  const e = node.etcd!;
  const id = node.memberId!;
  const peers = w.controlPlanes;
  e.log(t, ETCD.singlePort, {}, objs);
  e.log(t + 80, ETCD.running, {
    args: ['etcd', `--advertise-client-urls=https://${node.ip}:2379`, '--cert-file=/etc/kubernetes/pki/etcd/server.crt', '--client-cert-auth=true', '--data-dir=/var/lib/etcd', `--initial-advertise-peer-urls=https://${node.ip}:2380`, `--initial-cluster=${peers.map((p) => `${p.name}=https://${p.ip}:2380`).join(',')}`, '--key-file=/etc/kubernetes/pki/etcd/server.key', `--listen-client-urls=https://127.0.0.1:2379,https://${node.ip}:2379`, '--listen-metrics-urls=http://127.0.0.1:2381', `--listen-peer-urls=https://${node.ip}:2380`, `--name=${node.name}`, '--snapshot-count=10000'],
    version: w.legacy ? '3.4.13' : '3.5.16',
  }, objs);
  e.log(t + 150, ETCD.peerListeners, { 'listen-peer-urls': [`https://${node.ip}:2380`], name: node.name }, objs);
  e.log(t + 300, ETCD.clientListeners, { 'listen-client-urls': ['https://127.0.0.1:2379', `https://${node.ip}:2379`] }, objs);
  e.log(t + 600, ETCD.starting, { 'etcd-version': w.legacy ? '3.4.13' : '3.5.16', 'git-sha': w.legacy ? 'ae9734ed2' : 'f20bbad', 'go-version': 'go1.22.7', 'go-os': 'linux', 'go-arch': 'amd64', name: node.name, 'data-dir': '/var/lib/etcd' }, objs);
  e.log(t + 5 * MS, ETCD.openedBackend, { path: '/var/lib/etcd/member/snap/db', took: goDuration(w.rng.range(1500, 6000)), name: node.name }, objs);
  e.log(t + 10 * MS, ETCD.startingMember, { 'local-member-id': id, 'cluster-id': w.clusterId }, objs);
  e.log(t + 10 * MS, ETCD.switchedConf, { id, voters: '' }, objs);
  e.log(t + 10 * MS, ETCD.becameFollower, { id, term: 0 }, objs);
  e.log(t + 10 * MS, ETCD.newRaft, { id }, objs);
  e.log(t + 10 * MS, ETCD.becameFollower, { id, term: 1 }, objs);
  e.log(t + 10 * MS, ETCD.switchedConf, { id, voters: peers.map((p) => BigInt('0x' + p.memberId!).toString()).join(' ') }, objs);
  e.log(t + 18 * MS, ETCD.kvRestored, { 'current-rev': 1 }, objs);
  e.log(t + 22 * MS, ETCD.startingServer, { 'local-member-id': id, 'local-server-version': w.legacy ? '3.4.13' : '3.5.16', 'cluster-version': 'to_be_decided' }, objs);
  for (const p of peers) {
    e.log(t + 24 * MS, ETCD.addedMember, { 'cluster-id': w.clusterId, 'local-member-id': id, 'added-peer-id': p.memberId!, 'added-peer-peer-urls': [`https://${p.ip}:2380`], 'peer-url': `https://${p.ip}:2380` }, objs);
  }
}

/** etcd is up and a leader exists: publish, serve. */
export function etcdServing(w: World, t: number, node: NodeState, objs: readonly string[]): void {
  const e = node.etcd!;
  const id = node.memberId!;
  e.log(t, ETCD.published, {
    'local-member-id': id,
    'local-member-attributes': `{Name:${node.name} ClientURLs:[https://${node.ip}:2379]}`,
    'request-path': `/0/members/${id}/attributes`,
    'cluster-id': w.clusterId,
    'publish-timeout': '7s',
  }, objs);
  e.log(t + 100, ETCD.readyToServe, {}, objs);
  e.log(t + 1500, ETCD.servingSecurely, { traffic: 'grpc+http', address: `${node.ip}:2379` }, objs);
  e.log(t + 2300, ETCD.servingSecurely, { traffic: 'grpc+http', address: '127.0.0.1:2379' }, objs);
  e.log(t + 2900, ETCD.clusterVersion, { 'cluster-version': '3.5' }, objs);
}

/** The API groups the apiserver registers at start (a subset of the real list, in its order). */
const API_GROUPS: [string, string, string[]][] = [
  ['apiextensions.k8s.io', 'v1', ['v1beta1']],
  ['', 'v1', []],
  ['batch', 'v1', ['v1beta1']],
  ['coordination.k8s.io', 'v1', ['v1beta1']],
  ['discovery.k8s.io', 'v1', ['v1beta1']],
  ['apps', 'v1', ['v1beta2', 'v1beta1']],
  ['events.k8s.io', 'v1', ['v1beta1']],
];

function apiserverStartup(w: World, t: number, node: NodeState): void {
  const a = node.apiserver!;
  if (!w.legacy) a.f(t, APISERVER.addFlags, {});
  a.f(t + 200, APISERVER.externalHost, { ip: node.ip });
  a.f(t + 1500, APISERVER.version, { version: w.version });
  a.log(t + 1560, APISERVER.golang, { GOGC: '', GOMAXPROCS: '', GOTRACEBACK: '' });
  a.f(t + 390 * MS, APISERVER.reconciler, {});
  let tt = t + 1400 * MS;
  for (const [group, version, skipped] of API_GROUPS) {
    a.f(tt, APISERVER.addGroupVersion, { group, version });
    for (const s of skipped) a.f(tt + 30, APISERVER.skipApi, { gv: `${group}/${s}` });
    tt += w.rng.range(300, 1500);
  }
  tt += 190 * MS;
  a.log(tt, APISERVER.startingController, { name: 'request-header::/etc/kubernetes/pki/front-proxy-ca.crt' });
  a.log(tt + 100, APISERVER.startingController, { name: 'client-ca-bundle::/etc/kubernetes/pki/ca.crt' });
  a.f(tt + 150, APISERVER.servingSecurely, {});
  for (const name of ['node_authorizer', 'configmaps', 'crd-autoregister', 'cluster_authentication_trust_controller']) a.f(tt + 300, APISERVER.waitingCaches, { name });
  tt += 100 * MS;
  for (const name of ['configmaps', 'crd-autoregister', 'node_authorizer', 'cluster_authentication_trust_controller']) {
    a.f(tt, APISERVER.cachesSynced, { name });
    tt += 700;
  }
  for (const res of ['namespaces', 'leases.coordination.k8s.io']) {
    a.f(tt + 2 * MS, APISERVER.quotaEvaluator, { resource: res });
    tt += 40 * MS;
  }
  if (node === w.controlPlanes[0]) {
    a.f(tt + 900 * MS, APISERVER.priorityClass, { name: 'system-node-critical', value: 2000001000 });
    a.f(tt + 905 * MS, APISERVER.priorityClass, { name: 'system-cluster-critical', value: 2000000000 });
  }
  (node as NodeState & { apiReadyAt?: number }).apiReadyAt = tt + SEC;
}

/** The first apiserver allocates the built-in services' IPs as kubeadm creates them. */
export function apiserverBuiltins(w: World, t: number, node: NodeState): void {
  const a = node.apiserver!;
  a.log(t, APISERVER.allocatedIPs, { service: ref('default', 'kubernetes'), clusterIPs: raw('{"IPv4":"10.96.0.1"}', { IPv4: '10.96.0.1' }) });
  a.f(t + 5 * MS, APISERVER.resetEndpoints, { ips: w.controlPlanes.map((c) => c.ip).join(' ') });
  for (const res of ['endpoints', 'endpointslices.discovery.k8s.io', 'serviceaccounts', 'deployments.apps']) {
    a.f(t + 10 * MS, APISERVER.quotaEvaluator, { resource: res });
    t += 300 * MS;
  }
  a.log(t + 15 * MS, APISERVER.allocatedIPs, { service: ref('kube-system', 'kube-dns'), clusterIPs: raw('{"IPv4":"10.96.0.10"}', { IPv4: '10.96.0.10' }) });
  a.f(t + 25 * MS, APISERVER.quotaEvaluator, { resource: 'daemonsets.apps' });
  a.f(t + 4 * SEC, APISERVER.quotaEvaluator, { resource: 'replicasets.apps' });
  a.f(t + 4.1 * SEC, APISERVER.quotaEvaluator, { resource: 'controllerrevisions.apps' });
}

const CONTROLLERS: [string, string | undefined][] = [
  ['serviceaccount-token-controller', 'tokens'],
  ['node-ipam-controller', 'node'],
  ['endpoints-controller', 'endpoint'],
  ['endpointslice-controller', 'endpoint_slice'],
  ['replicaset-controller', 'ReplicaSet'],
  ['deployment-controller', 'deployment'],
  ['daemonset-controller', 'daemon sets'],
  ['node-lifecycle-controller', 'taint'],
  ['taint-eviction-controller', 'taint-eviction-controller'],
  ['garbage-collector-controller', 'garbage collector'],
  ['pod-garbage-collector-controller', 'GC'],
];

function cmStartup(w: World, t: number, node: NodeState): void {
  const c = node.cm!;
  c.f(t, CONTROLLER_MANAGER.selfSigned, {});
  c.log(t + 350 * MS, CONTROLLER_MANAGER.starting, { version: w.version });
  c.log(t + 350 * MS, CONTROLLER_MANAGER.golang, { GOGC: '', GOMAXPROCS: '', GOTRACEBACK: '' });
  c.f(t + 352 * MS, CONTROLLER_MANAGER.servingSecurely, {});
  c.f(t + 353 * MS, CONTROLLER_MANAGER.acquiring, { lease: 'kube-system/kube-controller-manager' });
}

/** The controller-manager won its lease: it starts its controllers. */
export function cmLeading(w: World, t: number, node: NodeState, holder: string, leaseObj: string): void {
  const c = node.cm!;
  c.f(t, CONTROLLER_MANAGER.acquired, { lease: 'kube-system/kube-controller-manager' }, [leaseObj]);
  const lease = w.objects.find((o) => o.uid === leaseObj)!;
  w.event(t + 100, EVENTS.leaderElection, { holder, component: 'kube-controller-manager' }, lease, null);
  let tt = t + 5 * MS;
  for (const [name, cache] of CONTROLLERS) {
    c.log(tt, CONTROLLER_MANAGER.startedController, { controller: name });
    if (name === 'replicaset-controller') c.log(tt + 40, CONTROLLER_MANAGER.rsStarting, { logger: name, name: 'replicaset' });
    if (name === 'deployment-controller') c.log(tt + 40, CONTROLLER_MANAGER.deployStarting, { logger: name, controller: 'deployment' });
    if (name === 'endpoints-controller') c.log(tt + 40, CONTROLLER_MANAGER.endpointStarting, { logger: name });
    if (name === 'node-lifecycle-controller') c.log(tt + 40, CONTROLLER_MANAGER.nodeControllerStarting, { logger: name });
    if (cache) c.f(tt + 60, CONTROLLER_MANAGER.waitingCaches, { name: cache });
    tt += w.rng.range(5, 150) * MS;
  }
  tt += 500 * MS;
  for (const [, cache] of CONTROLLERS) if (cache) {
      c.f(tt, CONTROLLER_MANAGER.cachesSynced, { name: cache });
      tt += w.rng.range(100, 3000);
    }
}

function schedulerStartup(w: World, t: number, node: NodeState): void {
  const s = node.scheduler!;
  s.f(t, SCHEDULER.selfSigned, {});
  s.log(t + 1800 * MS, SCHEDULER.starting, { version: w.version });
  s.log(t + 1800 * MS, SCHEDULER.golang, { GOGC: '', GOMAXPROCS: '', GOTRACEBACK: '' });
  s.log(t + 1802 * MS, SCHEDULER.startingController, { name: 'client-ca::kube-system::extension-apiserver-authentication::client-ca-file' });
  s.f(t + 1803 * MS, SCHEDULER.waitingCaches, { name: 'client-ca::kube-system::extension-apiserver-authentication::client-ca-file' });
  s.f(t + 1803 * MS, SCHEDULER.servingSecurely, {});
  s.log(t + 1804 * MS, SCHEDULER.tlsController, {});
  s.f(t + 5100 * MS, SCHEDULER.cachesSynced, { name: 'client-ca::kube-system::extension-apiserver-authentication::client-ca-file' });
  s.f(t + 5800 * MS, SCHEDULER.acquiring, { lease: 'kube-system/kube-scheduler' });
}

function proxyStartup(w: World, t: number, node: NodeState): void {
  const p = node.proxy!;
  p.log(t, KUBE_PROXY.nodeIps, { IPs: [node.ip] });
  p.log(t + 140, KUBE_PROXY.setSysctl, { entry: 'net/netfilter/nf_conntrack_tcp_timeout_established', value: 86400 });
  p.log(t + 165, KUBE_PROXY.setSysctl, { entry: 'net/netfilter/nf_conntrack_tcp_timeout_close_wait', value: 3600 });
  p.log(t + 182, KUBE_PROXY.incomplete, { err: 'nodePortAddresses is unset; NodePort connections will be accepted on all local IPs. Consider using `--nodeport-addresses primary`' });
  p.log(t + 16 * MS, KUBE_PROXY.dualStack, { 'primary ipFamily': 'IPv4' });
  p.log(t + 16 * MS, KUBE_PROXY.usingIptables, {});
  p.log(t + 29 * MS, KUBE_PROXY.nfacct, { err: 'nfacct sub-system not available', ipFamily: 'IPv4' });
  p.log(t + 42 * MS, KUBE_PROXY.nfacct, { err: 'nfacct sub-system not available', ipFamily: 'IPv6' });
  p.log(t + 42 * MS, KUBE_PROXY.version, { version: w.version });
  p.log(t + 42 * MS, KUBE_PROXY.golang, { GOGC: '', GOMAXPROCS: '', GOTRACEBACK: '' });
  p.log(t + 68 * MS, KUBE_PROXY.sliceController, {});
  p.f(t + 68 * MS, KUBE_PROXY.waitingCaches, { name: 'endpoint slice config' });
  p.log(t + 68 * MS, KUBE_PROXY.nodeController, {});
  p.f(t + 68 * MS, KUBE_PROXY.waitingCaches, { name: 'node config' });
  p.log(t + 68 * MS, KUBE_PROXY.serviceController, {});
  p.f(t + 68 * MS, KUBE_PROXY.waitingCaches, { name: 'service config' });
  p.f(t + 169 * MS, KUBE_PROXY.cachesSynced, { name: 'service config' });
  p.f(t + 169 * MS, KUBE_PROXY.cachesSynced, { name: 'endpoint slice config' });
  p.f(t + 170 * MS, KUBE_PROXY.cachesSynced, { name: 'node config' });
}
