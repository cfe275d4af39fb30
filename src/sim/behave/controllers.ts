/**
 * The controller-manager's loops: Deployments (rolling updates), ReplicaSets, endpoints and
 * endpoint slices (with kube-proxy's resync on every node), and node lifecycle (NotReady, taints,
 * evictions).
 */
import { ref } from '../format/klog.js';
import { goDuration } from '../format/time.js';
import type { App, Deployment, Pod, ReplicaSet } from '../model.js';
import { CONTROLLER_MANAGER, EVENTS, KUBE_PROXY } from '../templates/index.js';
import { MS, SEC, type NodeState, type PodWatchers, type World } from '../world.js';
import { createPod, deletePod, statusPatch } from './pods.js';

export function createDeployment(w: World, t: number, app: App, fault?: Pod['fault'], incident: string | null = null): Deployment {
  w.nsObj(app.namespace);
  const dep = w.register<Deployment>({ kind: 'Deployment', namespace: app.namespace, name: app.name, owners: [], app, old: [] }, t);
  app.deployment = dep;
  w.deployments.push(dep);
  w.api(t, {
    client: w.adminClient(),
    verb: 'POST',
    uri: `/apis/apps/v1/namespaces/${app.namespace}/deployments?fieldManager=kubectl-client-side-apply&fieldValidation=Strict`,
    code: 201,
    latency: w.rng.latency(8 * MS),
    objects: [dep.uid],
    resource: 'deployments',
    namespace: app.namespace,
    apiGroup: 'apps',
    created: dep,
  });
  w.at(t + 20 * MS, () => newReplicaSet(w, w.now, dep, app.image, fault, incident));
  return dep;
}

/** `kubectl set image`: a new ReplicaSet, rolled out one pod at a time (maxSurge 1, maxUnavailable 0). */
export function rollout(w: World, t: number, dep: Deployment, image: string, fault?: Pod['fault'], incident: string | null = null): void {
  w.api(t, {
    client: w.adminClient(),
    verb: 'PATCH',
    uri: `/apis/apps/v1/namespaces/${dep.namespace}/deployments/${dep.name}?fieldManager=kubectl-set`,
    code: 200,
    latency: w.rng.latency(8 * MS),
    objects: [dep.uid],
    resource: 'deployments',
    namespace: dep.namespace,
    name: dep.name,
    apiGroup: 'apps',
  });
  w.at(t + 15 * MS, () => newReplicaSet(w, w.now, dep, image, fault, incident));
}

function newReplicaSet(w: World, t: number, dep: Deployment, image: string, fault: Pod['fault'] | undefined, incident: string | null): void {
  const hash = w.rng.templateHash();
  const rs = w.register<ReplicaSet>({ kind: 'ReplicaSet', namespace: dep.namespace, name: `${dep.name}-${hash}`, owners: [dep.uid], hash, image, replicas: 0, pods: new Set(), deployment: dep }, t);
  (rs as ReplicaSet & { fault?: Pod['fault']; incident?: string | null }).fault = fault;
  (rs as ReplicaSet & { incident?: string | null }).incident = incident;
  w.api(t, {
    client: w.controllerClient('deployment-controller'),
    verb: 'POST',
    uri: `/apis/apps/v1/namespaces/${dep.namespace}/replicasets`,
    code: 201,
    latency: w.rng.latency(6 * MS),
    objects: [rs.uid, dep.uid],
    resource: 'replicasets',
    namespace: dep.namespace,
    apiGroup: 'apps',
    created: rs,
  });
  if (dep.current) dep.old.push(dep.current);
  dep.current = rs;
  const first = dep.old.length === 0;
  scaleRs(w, t + 5 * MS, rs, first ? dep.app.replicas : 1, incident);
}

export function scaleRs(w: World, t: number, rs: ReplicaSet, to: number, incident: string | null): void {
  const from = rs.replicas;
  if (from === to) return;
  rs.replicas = to;
  const dep = rs.deployment;
  w.event(t, to > from ? EVENTS.scaledUp : EVENTS.scaledDown, { rs: rs.name, from, to }, dep, incident, undefined, [rs.uid]);
  w.api(t + MS, {
    client: w.controllerClient('deployment-controller'),
    verb: 'PUT',
    uri: `/apis/apps/v1/namespaces/${rs.namespace}/replicasets/${rs.name}`,
    code: 200,
    latency: w.rng.latency(5 * MS),
    objects: [rs.uid],
    resource: 'replicasets',
    namespace: rs.namespace,
    name: rs.name,
    apiGroup: 'apps',
    incident,
  });
  w.at(t + w.rng.range(3, 10) * MS, () => reconcileRs(w, w.now, rs));
}

function livePods(rs: ReplicaSet): Pod[] {
  return [...rs.pods].filter((p) => !p.deleted && !p.terminating);
}

/** The ReplicaSet controller: create or delete pods to match `replicas`. */
export function reconcileRs(w: World, t: number, rs: ReplicaSet): void {
  const cm = w.cmLeader()?.cm;
  const live = livePods(rs);
  const extra = rs as ReplicaSet & { fault?: Pod['fault']; incident?: string | null };
  let tt = t;
  for (let i = live.length; i < rs.replicas; i++) {
    const app = rs.deployment.app;
    const rf = app.readinessFault;
    const fault: Pod['fault'] = extra.fault ? { ...extra.fault } : rf ? { kind: 'readiness', since: rf.since } : undefined;
    const pod = createPod(w, tt, {
      namespace: rs.namespace!,
      name: `${rs.name}-${w.rng.nameSuffix()}`,
      container: app.container,
      image: rs.image,
      owners: [rs.uid],
      rs,
      app,
      daemon: app.namespace === 'kube-system' && app.name === 'coredns' ? 'coredns' : undefined,
      cpuMilli: fault?.kind === 'unschedulable' && fault.reason === 'cpu' ? 8000 : app.cpuMilli,
      fault,
      incident: extra.incident ?? rf?.incident ?? null,
    });
    rs.pods.add(pod);
    tt += w.rng.range(2, 8) * MS;
  }
  for (let i = rs.replicas; i < live.length; i++) {
    const victim = live.sort((a, b) => (a.ready === b.ready ? b.created - a.created : a.ready ? 1 : -1))[0]!;
    live.splice(live.indexOf(victim), 1);
    i--;
    deletePod(w, tt, victim, 'replicaset-controller', null);
    w.event(tt + 2 * MS, EVENTS.successfulDelete, { pod: victim.name }, rs, null, undefined, [victim.uid]);
    tt += w.rng.range(2, 8) * MS;
  }
  cm?.log(tt + MS, CONTROLLER_MANAGER.rsFinished, { logger: 'replicaset-controller', kind: 'ReplicaSet', key: `${rs.namespace}/${rs.name}`, duration: goDuration(tt - t + w.rng.range(40, 900)) }, [rs.uid]);
}

/** Deployment progress after a pod of its newest ReplicaSet became ready. */
function progressDeployment(w: World, t: number, dep: Deployment): void {
  const cur = dep.current;
  if (!cur) return;
  const ready = [...cur.pods].filter((p) => p.ready && !p.deleted && !p.terminating).length;
  if (ready < cur.replicas) return;
  const old = dep.old.find((r) => r.replicas > 0);
  if (old) scaleRs(w, t + 10 * MS, old, old.replicas - 1, null);
  if (cur.replicas < dep.app.replicas) scaleRs(w, t + 25 * MS, cur, cur.replicas + 1, null);
}

export function podBecameReady(w: World, t: number, pod: Pod): void {
  w.api(t + 2 * MS, statusPatch(w, pod));
  if (pod.app) updateEndpoints(w, t + w.rng.range(5, 30) * MS, pod.app, null);
  if (pod.rs) w.at(t + 20 * MS, () => progressDeployment(w, w.now, pod.rs!.deployment));
}

export function podNotReadyAnymore(w: World, t: number, pod: Pod): void {
  if (pod.app) updateEndpoints(w, t + w.rng.range(5, 30) * MS, pod.app, pod.incident);
}

export function podGone(w: World, t: number, pod: Pod): void {
  if (pod.rs && !pod.rs.deleted) w.at(t + 10 * MS, () => reconcileRs(w, w.now, pod.rs!));
}

/** What the controllers do when the kubelet reports a pod's change (handed to the World: see PodWatchers). */
export const podWatchers: PodWatchers = { podBecameReady, podNotReadyAnymore, podGone };

/** Endpoints and EndpointSlice for a Service follow its ready pods; kube-proxy resyncs. */
export function updateEndpoints(w: World, t: number, app: App, incident: string | null): void {
  if (!app.service || !app.endpoints || !app.slice) return;
  for (const [o, res, group, ctl] of [
    [app.endpoints, 'endpoints', undefined, 'endpoint-controller'],
    [app.slice, 'endpointslices', 'discovery.k8s.io', 'endpointslice-controller'],
  ] as const) {
    w.api(t, {
      client: w.controllerClient(ctl),
      verb: 'PUT',
      uri: group ? `/apis/${group}/v1/namespaces/${app.namespace}/${res}/${o.name}` : `/api/v1/namespaces/${app.namespace}/${res}/${o.name}`,
      code: 200,
      latency: w.rng.latency(4 * MS),
      objects: [o.uid],
      resource: res,
      namespace: app.namespace,
      name: o.name,
      apiGroup: group,
      incident,
    });
    t += w.rng.range(1, 4) * MS;
  }
  for (const n of w.nodes) scheduleProxySync(w, t + w.rng.range(20, 200) * MS, n, incident);
}

const pendingSync = new WeakMap<NodeState, boolean>();

/** kube-proxy's bounded-frequency runner: changes arriving before a pending sync join it. */
export function scheduleProxySync(w: World, t: number, node: NodeState, incident: string | null): void {
  if (!node.proxy || pendingSync.get(node)) return;
  pendingSync.set(node, true);
  w.at(t, () => {
    pendingSync.set(node, false);
    proxySync(w, w.now, node, incident);
  });
}

export function proxySync(w: World, t: number, node: NodeState, incident: string | null): void {
  const p = node.proxy;
  if (!p) return;
  // A sync names no object (the service behind it is only known from timing): no truth objects.
  const objs: string[] = [];
  const services = w.apps.filter((a) => a.service && !a.service.deleted);
  let endpoints = 0;
  let rejects = 0;
  for (const a of services) {
    const n = w.objects.filter((o): o is Pod => o.kind === 'Pod' && (o as Pod).app === a && (o as Pod).ready && !o.deleted).length;
    endpoints += n;
    if (n === 0) rejects++;
  }
  // kube-dns (3 ports) and kubernetes (1 port) are always there.
  const numServices = services.length + 4;
  const numEndpoints = endpoints + 3 * 2 + w.controlPlanes.length;
  const start = t;
  p.log(t, KUBE_PROXY.syncing, { ipFamily: 'IPv4' }, objs, incident);
  if (!w.legacy) {
    p.log(t + w.rng.range(2, 6) * MS, KUBE_PROXY.reloading, {
      ipFamily: 'IPv4',
      numServices,
      numEndpoints,
      numFilterChains: 6,
      numFilterRules: 4 + rejects,
      numNATChains: 4 + 2 * numServices + numEndpoints,
      numNATRules: 9 + 3 * numServices + 2 * numEndpoints,
    }, objs, incident);
  }
  const elapsed = w.rng.range(15, 120) * MS + w.rng.int(1000);
  p.log(start + elapsed, KUBE_PROXY.syncComplete, { ipFamily: 'IPv4', elapsed: goDuration(elapsed) }, objs, incident);
}

/** kube-proxy's service change log (1.20 prints it unstructured). */
export function proxyServiceAdded(w: World, t: number, node: NodeState, app: App): void {
  const p = node.proxy;
  if (!p || !app.service) return;
  const objs = [app.service.uid];
  p.f(t, KUBE_PROXY.serviceUpdated, { service: `${app.namespace}/${app.name}`, ports: 1 }, objs);
  p.f(t + MS, KUBE_PROXY.addingPort, { portName: `${app.namespace}/${app.name}:${app.portName}`, servicePort: `${app.clusterIP}:${app.port}/TCP` }, objs);
  scheduleProxySync(w, t + 2 * MS, node, null);
}

/** The node lifecycle controller's monitor pass (every 5 s). */
export function monitorNodes(w: World, t: number): void {
  const cm = w.cmLeader()?.cm;
  for (const n of w.nodes) {
    if (!n.ready || n.lastHeartbeat === 0) continue;
    const silent = t - n.lastHeartbeat;
    if (silent <= 40 * SEC) continue;
    const inc = (n as NodeState & { incident?: string | null }).incident ?? null;
    n.ready = false;
    const objs = [n.uid];
    // One line per condition the kubelet stopped posting (all flip to Unknown).
    const conditions: [string, string, string][] = [
      ['Ready', 'KubeletReady', 'kubelet is posting ready status'],
      ['MemoryPressure', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
      ['DiskPressure', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
      ['PIDPressure', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
    ];
    for (const [type, reason, message] of conditions) {
      const status = type === 'Ready' ? 'True' : 'False';
      cm?.log(t, CONTROLLER_MANAGER.nodeNotUpdated, {
        logger: 'node-lifecycle-controller',
        node: ref(undefined, n.name),
        duration: goDuration(silent),
        nodeConditionType: type,
        currentCondition: `&NodeCondition{Type:${type},Status:${status},LastHeartbeatTime:${goTimeSec(n.lastHeartbeat)},LastTransitionTime:${goTimeSec(w.opts.start)},Reason:${reason},Message:${message},}`,
      }, objs, inc);
    }
    const nodeObj = w.objects.find((o) => o.uid === n.uid)!;
    w.event(t + MS, EVENTS.nodeNotReady, { node: n.name }, nodeObj, inc);
    w.api(t + 2 * MS, {
      client: w.controllerClient('node-controller'),
      verb: 'PATCH',
      uri: `/api/v1/nodes/${n.name}/status`,
      code: 200,
      latency: w.rng.latency(5 * MS),
      objects: objs,
      resource: 'nodes',
      name: n.name,
      subresource: 'status',
      incident: inc,
    });
    n.taints.push('node.kubernetes.io/unreachable');
    w.api(t + 50 * MS, {
      client: w.controllerClient('node-controller'),
      verb: 'PATCH',
      uri: `/api/v1/nodes/${n.name}`,
      code: 200,
      latency: w.rng.latency(5 * MS),
      objects: objs,
      resource: 'nodes',
      name: n.name,
      incident: inc,
    });
    let tt = t + 60 * MS;
    for (const pod of [...n.pods]) {
      if (pod.deleted || pod.terminating) continue;
      cm?.log(tt, CONTROLLER_MANAGER.podNotReady, { logger: 'node-lifecycle-controller', pod: ref(pod.namespace, pod.name) }, [pod.uid], inc);
      w.event(tt + MS, EVENTS.podNodeNotReady, {}, pod, inc);
      w.api(tt + 2 * MS, { ...statusPatch(w, pod), client: w.controllerClient('node-controller'), incident: inc });
      if (pod.ready) {
        pod.ready = false;
        if (pod.app) updateEndpoints(w, tt + 10 * MS, pod.app, inc);
      }
      tt += w.rng.range(2, 6) * MS;
      // Taint-based eviction once the pod's toleration for unreachable runs out.
      if (!pod.static && pod.daemon !== 'kube-proxy') {
        // The workloads tolerate node.kubernetes.io/unreachable for 30 s (fast fail-over); system
        // pods keep the DefaultTolerationSeconds admission default of 300 s.
        const toleration = pod.app ? 30 * SEC : 300 * SEC;
        w.at(t + toleration + w.rng.range(10, 900) * MS, () => evict(w, w.now, pod, inc));
      }
    }
  }
}

function evict(w: World, t: number, pod: Pod, inc: string | null): void {
  if (pod.deleted || pod.terminating) return;
  const cm = w.cmLeader()?.cm;
  cm?.log(t, CONTROLLER_MANAGER.deletingPod, { logger: 'taint-eviction-controller', controller: 'taint-eviction-controller', pod: ref(pod.namespace, pod.name) }, [pod.uid], inc);
  w.event(t + MS, EVENTS.taintEviction, { ns: pod.namespace, pod: pod.name }, pod, inc);
  deletePod(w, t + 2 * MS, pod, 'node-controller', inc);
  // The ReplicaSet replaces it right away (the terminating pod no longer counts).
  if (pod.rs) w.at(t + 15 * MS, () => reconcileRs(w, w.now, pod.rs!));
}

function goTimeSec(us: number): string {
  const d = new Date(Math.floor(us / SEC) * 1000).toISOString();
  return `${d.slice(0, 10)} ${d.slice(11, 19)} +0000 UTC`;
}
