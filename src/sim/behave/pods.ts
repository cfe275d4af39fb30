/**
 * Pod lifecycle across components: creation (ReplicaSet/DaemonSet controllers), scheduling,
 * the kubelet's sync (volumes, sandbox, image pull, container start, PLEG, probes), failures
 * (image pull back-off, crash loops, OOM kills, readiness failures) and termination.
 */
import { ref, raw } from '../format/klog.js';
import { goDuration, goTime } from '../format/time.js';
import type { App, Pod, ReplicaSet } from '../model.js';
import { CONTAINERD, EVENTS, KUBELET, SCHEDULER, SYSTEMD } from '../templates/index.js';
import { MS, SEC, type ApiRequest, type Client, type NodeState, type World } from '../world.js';
import { startComponentLog } from './components.js';

const BACKOFF_MAX = 300 * SEC;

export interface NewPod {
  namespace: string;
  name: string;
  container: string;
  image: string;
  owners: string[];
  rs?: ReplicaSet;
  app?: App;
  daemon?: Pod['daemon'];
  static?: boolean;
  node?: string;
  cpuMilli: number;
  fault?: Pod['fault'];
  incident?: string | null;
  uid?: string;
}

export function podLegacyName(p: Pod): string {
  return `${p.name}_${p.namespace}(${p.uid})`;
}

function kubeletIncident(p: Pod): string | null {
  return p.fault && p.fault.kind !== 'unschedulable' ? p.incident : null;
}

/** Registers a pod; controller-created pods are POSTed by their controller (audit: RequestResponse). */
export function createPod(w: World, t: number, spec: NewPod): Pod {
  const pod = w.register<Pod>({
    uid: spec.uid,
    kind: 'Pod',
    namespace: spec.namespace,
    name: spec.name,
    owners: spec.owners,
    node: spec.node,
    container: { name: spec.container, image: spec.image, id: '', restarts: 0 },
    ready: false,
    running: false,
    static: spec.static ?? false,
    app: spec.app,
    rs: spec.rs,
    daemon: spec.daemon,
    cpuMilli: spec.cpuMilli,
    incident: spec.incident ?? null,
    fault: spec.fault,
    terminating: false,
  }, t);
  if (spec.static) return pod;
  const controller = spec.rs ? 'replicaset-controller' : 'daemon-set-controller';
  w.api(t, {
    client: w.controllerClient(controller),
    verb: 'POST',
    uri: `/api/v1/namespaces/${spec.namespace}/pods`,
    code: 201,
    latency: w.rng.latency(6 * MS),
    objects: [pod.uid],
    resource: 'pods',
    namespace: spec.namespace,
    created: pod,
    incident: pod.incident,
  });
  const owner = w.owner(pod);
  if (owner) w.event(t + 3 * MS, EVENTS.successfulCreate, { pod: pod.name }, owner, pod.incident, undefined, [pod.uid]);
  w.at(t + w.rng.range(5, 40) * MS, () => schedulePod(w, w.now, pod, 0));
  return pod;
}

function feasible(w: World, pod: Pod): { nodes: NodeState[]; err: string } {
  const all = w.nodes;
  const fault = pod.fault?.kind === 'unschedulable' ? pod.fault : undefined;
  const reasons = new Map<string, number>();
  const add = (r: string): void => {
    reasons.set(r, (reasons.get(r) ?? 0) + 1);
  };
  const ok: NodeState[] = [];
  for (const n of all) {
    if (pod.daemon === 'kube-proxy') {
      if (n.name === pod.node) ok.push(n);
      continue;
    }
    const tolerates = pod.daemon === 'coredns';
    if (n.taints.includes('node-role.kubernetes.io/control-plane') && !tolerates) {
      add('node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }');
      continue;
    }
    if (n.taints.includes('node.kubernetes.io/unreachable')) {
      add('node(s) had untolerated taint {node.kubernetes.io/unreachable: }');
      continue;
    }
    if (!n.ready) {
      add('node(s) had untolerated taint {node.kubernetes.io/not-ready: }');
      continue;
    }
    if (fault?.reason === 'taint') {
      add('node(s) had untolerated taint {dedicated: gpu}');
      continue;
    }
    if (fault?.reason === 'cpu' || n.usedCpu + pod.cpuMilli > n.cpuMilli) {
      add('Insufficient cpu');
      continue;
    }
    ok.push(n);
  }
  // framework.FitError sorts the "<count> <reason>" strings themselves (count prefix included).
  const parts = [...reasons.entries()].map(([r, c]) => `${c} ${r}`).sort();
  const cpuCount = reasons.get('Insufficient cpu') ?? 0;
  const preempt = (cpuCount > 0
    ? [`${all.length - cpuCount} Preemption is not helpful for scheduling`, `${cpuCount} No preemption victims found for incoming pod`]
    : [`${all.length} Preemption is not helpful for scheduling`]
  ).sort();
  const err = `0/${all.length} nodes are available: ${parts.join(', ')}. preemption: 0/${all.length} nodes are available: ${preempt.join(', ')}.`;
  return { nodes: ok, err };
}

/** The scheduler's cycle for one pod: bind to the least loaded feasible node, or report no fit. */
export function schedulePod(w: World, t: number, pod: Pod, attempt: number): void {
  if (pod.deleted || pod.terminating) return;
  const sched = w.controlPlanes[0]!.scheduler;
  if (!sched) return;
  const { nodes, err } = feasible(w, pod);
  const objs = [pod.uid];
  if (nodes.length === 0) {
    const inc = pod.fault?.kind === 'unschedulable' ? pod.incident : null;
    pod.pendingSince ??= t;
    sched.log(t, SCHEDULER.noFit, { pod: ref(pod.namespace, pod.name), err }, objs, inc);
    w.event(t + MS, EVENTS.failedScheduling, { err }, pod, inc);
    // Back-off in the unschedulable queue (1s doubling to 10s), then the periodic flush.
    const delay = attempt < 4 ? Math.min(10 * SEC, SEC << attempt) : 60 * SEC;
    w.at(t + delay + w.rng.int(200 * MS), () => schedulePod(w, w.now, pod, attempt + 1));
    return;
  }
  nodes.sort((a, b) => a.usedCpu - b.usedCpu || (a.name < b.name ? -1 : 1));
  const node = nodes[0]!;
  pod.node = node.name;
  node.usedCpu += pod.cpuMilli;
  node.pods.add(pod);
  const bindT = t + w.rng.range(2, 12) * MS;
  w.api(bindT, {
    client: w.controllerClient('default-scheduler'),
    verb: 'POST',
    uri: `/api/v1/namespaces/${pod.namespace}/pods/${pod.name}/binding`,
    code: 201,
    latency: w.rng.latency(4 * MS),
    objects: objs,
    resource: 'pods',
    namespace: pod.namespace,
    name: pod.name,
    subresource: 'binding',
  });
  sched.log(bindT + 5 * MS, SCHEDULER.bound, { pod: ref(pod.namespace, pod.name), node: node.name, evaluatedNodes: w.nodes.length, feasibleNodes: nodes.length }, [pod.uid, node.uid]);
  w.event(bindT + 6 * MS, EVENTS.scheduled, { ns: pod.namespace, pod: pod.name, node: node.name }, pod, null, undefined, [node.uid]);
  w.at(bindT + w.rng.range(8, 30) * MS, () => kubeletAdd(w, w.now, pod));
}

type MissingSecret = Extract<NonNullable<Pod['fault']>, { kind: 'missing-secret' }>;
type Volume = ReturnType<typeof volumes>[number];
/** The kubelet's volume operation back-off (nestedpendingoperations: 500 ms doubling to 2m2s). */
const MOUNT_BACKOFF_MAX = 122 * SEC;

/** The kubelet tries to mount a secret that does not exist, again after each back-off. */
function mountFailing(w: World, t: number, pod: Pod, fault: MissingSecret, vols: readonly Volume[], backoff: number): void {
  const node = w.node(pod.node!);
  if (!node.kubeletUp || pod.deleted || pod.terminating) return;
  const unique = `kubernetes.io/secret/${pod.uid}-${fault.volume}`;
  const cause = `secret "${fault.secret}" not found`;
  const err = `MountVolume.SetUp failed for volume "${fault.volume}" (UniqueName: "${unique}") pod "${pod.name}" (UID: "${pod.uid}") : ${cause}`;
  const retry = t + node.skew + backoff;
  node.kubelet.f(t, KUBELET.operationFailed, { unique, uid: pod.uid, until: `${goTime(retry, true)} m=+${((retry - w.opts.start) / SEC).toFixed(9)}`, backoff: goDuration(backoff), err: JSON.stringify(err) }, [pod.uid], pod.incident);
  w.event(t + MS, EVENTS.failedMount, { volume: fault.volume, err: cause }, pod, pod.incident, node);
  w.at(t + backoff + w.rng.range(1, 20) * MS, () => mountFailing(w, w.now, pod, fault, vols, Math.min(MOUNT_BACKOFF_MAX, backoff * 2)));
}

/** Every 2 minutes the pod worker gives up waiting for the volume and skips the pod. */
function mountTimedOut(w: World, t: number, pod: Pod, fault: MissingSecret, vols: readonly Volume[]): void {
  const node = w.node(pod.node!);
  if (!node.kubeletUp || pod.deleted || pod.terminating) return;
  const unattached = [fault.volume, ...vols.map((v) => v.volume)].join(' ');
  const err = w.legacy
    ? `unmounted volumes=[${fault.volume}], unattached volumes=[${unattached}]: timed out waiting for the condition`
    : `unmounted volumes=[${fault.volume}], unattached volumes=[${unattached}], failed to process volumes=[]: context deadline exceeded`;
  node.kubelet.log(t, KUBELET.volumesTimeout, { err, pod: ref(pod.namespace, pod.name), podLegacy: podLegacyName(pod), errLegacy: err }, [pod.uid], pod.incident);
  w.event(t + MS, EVENTS.mountTimeout, { volumes: fault.volume, unattached, err: w.legacy ? 'timed out waiting for the condition' : 'context deadline exceeded' }, pod, pod.incident, node);
  w.at(t + 2 * 60 * SEC + w.rng.range(1, 900) * MS, () => mountTimedOut(w, w.now, pod, fault, vols));
}

/** Volumes the kubelet mounts for a pod (service account token, plus config maps of system pods). */
function volumes(w: World, pod: Pod): { volume: string; unique: string; plugin: string }[] {
  if (pod.static) {
    const names = pod.daemon === undefined && pod.name.startsWith('etcd') ? ['etcd-certs', 'etcd-data'] : ['ca-certs', 'k8s-certs'];
    return names.map((v) => ({ volume: v, unique: `kubernetes.io/host-path/${pod.uid}-${v}`, plugin: 'kubernetes.io/host-path' }));
  }
  const token = `kube-api-access-${w.rng.nameSuffix(5)}`;
  const list = [{ volume: token, unique: `kubernetes.io/projected/${pod.uid}-${token}`, plugin: 'kubernetes.io/projected' }];
  if (pod.daemon === 'kube-proxy') list.unshift({ volume: 'kube-proxy', unique: `kubernetes.io/configmap/${pod.uid}-kube-proxy`, plugin: 'kubernetes.io/configmap' });
  if (pod.daemon === 'coredns') list.unshift({ volume: 'config-volume', unique: `kubernetes.io/configmap/${pod.uid}-config-volume`, plugin: 'kubernetes.io/configmap' });
  return list;
}

/** The kubelet learns of a pod bound to its node: volumes, sandbox, then the container. */
export function kubeletAdd(w: World, t: number, pod: Pod): void {
  const node = w.node(pod.node!);
  if (!node.kubeletUp || pod.deleted) return;
  const k = node.kubelet;
  const objs = [pod.uid];
  const inc = kubeletIncident(pod);
  const podRef = ref(pod.namespace, pod.name);
  k.log(t, KUBELET.syncLoopAdd, { source: pod.static ? 'file' : 'api', pods: [`${pod.namespace}/${pod.name}`], podsLegacy: podLegacyName(pod) }, objs, inc);
  let tt = t + 2 * MS;
  const vols = volumes(w, pod);
  (pod as Pod & { vols?: typeof vols }).vols = vols;
  const secret = pod.fault?.kind === 'missing-secret' ? pod.fault : undefined;
  const verified = secret ? [{ volume: secret.volume, unique: `kubernetes.io/secret/${pod.uid}-${secret.volume}`, plugin: 'kubernetes.io/secret' }, ...vols] : vols;
  for (const v of verified) {
    k.log(tt, KUBELET.verifyVolume, { ...v, podName: pod.name, uid: pod.uid, pod: podRef }, objs, inc);
    tt += w.rng.range(1, 3) * MS;
  }
  tt += 90 * MS;
  for (const v of vols) {
    k.log(tt, KUBELET.mountSucceeded, { ...v, podName: pod.name, uid: pod.uid, pod: podRef }, objs, inc);
    tt += w.rng.range(1, 5) * MS;
  }
  if (pod.fault?.kind === 'missing-secret') {
    // The secret volume never mounts: no sandbox, no container, until the pod is deleted.
    mountFailing(w, tt, pod, pod.fault, vols, 500 * MS);
    w.at(t + 2 * 60 * SEC, () => mountTimedOut(w, w.now, pod, pod.fault as MissingSecret, vols));
    return;
  }
  k.log(tt, KUBELET.noSandbox, { pod: podRef, podLegacy: podLegacyName(pod) }, objs, inc);
  pod.ip = pod.static || pod.daemon === 'kube-proxy' ? node.ip : `${node.podCidr.split('.').slice(0, 3).join('.')}.${node.podIpNext++}`;
  const sandbox = w.rng.hex(64);
  pod.sandbox = sandbox;
  const meta = { pod: pod.name, uid: pod.uid, ns: pod.namespace, attempt: 0 };
  node.containerd.log(tt + 3 * MS, CONTAINERD.runSandbox, meta, objs, inc, w.rng.int(1000));
  node.containerd.log(tt + 80 * MS, CONTAINERD.shim, { id: sandbox, address: `unix:///run/containerd/s/${w.rng.hex(64)}`, namespace: 'k8s.io', protocol: 'ttrpc', version: 3 }, objs, inc, w.rng.int(1000));
  node.systemd.log(tt + 85 * MS, SYSTEMD.startedScope, { id: sandbox }, objs, inc);
  node.containerd.log(tt + 160 * MS, CONTAINERD.sandboxReturns, { ...meta, sandbox }, objs, inc, w.rng.int(1000));
  // The kubelet reports the sandbox's IP in the pod's status (host-network pods have the node's).
  if (!pod.static) w.api(tt + 200 * MS, statusPatch(w, pod));
  const pleg = tt + 400 * MS + w.rng.int(600) * MS;
  w.at(pleg, () => {
    if (!node.kubeletUp) return;
    node.kubelet.log(w.now, KUBELET.syncLoopPleg, plegVals(pod, 'ContainerStarted', sandbox), objs, inc);
  });
  w.at(tt + 200 * MS, () => startContainer(w, w.now, pod, true));
}

function plegVals(pod: Pod, type: string, data: string): Record<string, ReturnType<typeof raw> | ReturnType<typeof ref> | string> {
  return {
    pod: ref(pod.namespace, pod.name),
    event: raw(JSON.stringify({ ID: pod.uid, Type: type, Data: data }), { ID: pod.uid, Type: type, Data: data }),
    podLegacy: podLegacyName(pod),
    uid: pod.uid,
    type,
    data,
  };
}


/** Pull (when needed), create and start the container; then its probes and readiness. */
function startContainer(w: World, t: number, pod: Pod, first: boolean): void {
  if (pod.deleted || pod.terminating) return;
  const node = w.node(pod.node!);
  if (!node.kubeletUp) return;
  const k = node.kubelet;
  const objs = [pod.uid];
  const inc = kubeletIncident(pod);
  const c = pod.container;
  let tt = t;
  const imageKey = `${node.name}|${c.image}`;
  const pullable = pod.fault?.kind !== 'image-not-found';
  const pulls = pod as Pod & { pullStart?: number; pullEnd?: number };
  if (!PRESENT_FOR(w).has(imageKey) || !pullable) {
    pulls.pullStart ??= tt;
    w.event(tt, EVENTS.pulling, { image: c.image }, pod, inc, node);
    node.containerd.log(tt + MS, CONTAINERD.pullImage, { image: c.image }, objs, inc, w.rng.int(1000));
    if (!pullable) {
      pullFailure(w, tt + w.rng.range(400, 1500) * MS, pod);
      return;
    }
    const took = w.rng.range(1500, 9000) * MS;
    tt += took;
    const digest = `sha256:${w.rng.hex(64)}`;
    const size = w.rng.range(20_000_000, 80_000_000);
    node.containerd.log(tt, CONTAINERD.pulled, {
      image: c.image,
      imageId: `sha256:${w.rng.hex(64)}`,
      repoTag: qualify(c.image),
      digest: `${qualify(c.image).split(':')[0]}@${digest}`,
      size,
      took: goDuration(took),
    }, objs, inc, w.rng.int(1000));
    w.event(tt + MS, EVENTS.pulled, { image: c.image, took: goDuration(took), waiting: goDuration(took + 3 * MS), size }, pod, inc, node);
    pulls.pullEnd = tt;
    PRESENT_FOR(w).add(imageKey);
  } else {
    w.event(tt, EVENTS.present, { image: c.image }, pod, inc, node);
  }
  const id = w.rng.hex(64);
  c.id = id;
  const meta = { sandbox: pod.sandbox, name: c.name, attempt: c.restarts };
  node.containerd.log(tt + 2 * MS, CONTAINERD.createContainer, meta, objs, inc, w.rng.int(1000));
  node.containerd.log(tt + 12 * MS, CONTAINERD.cdi, { id }, objs, inc, w.rng.int(1000));
  node.containerd.log(tt + 25 * MS, CONTAINERD.createReturns, { ...meta, id }, objs, inc, w.rng.int(1000));
  node.containerd.log(tt + 26 * MS, CONTAINERD.startContainer, { id }, objs, inc, w.rng.int(1000));
  node.systemd.log(tt + 30 * MS, SYSTEMD.startedScope, { id }, objs, inc);
  node.containerd.log(tt + 70 * MS, CONTAINERD.startReturns, { id }, objs, inc, w.rng.int(1000));
  w.event(tt + 27 * MS, EVENTS.created, { container: c.name }, pod, inc, node);
  w.event(tt + 71 * MS, EVENTS.started, { container: c.name }, pod, inc, node);
  pod.running = true;
  const started = tt + 70 * MS;
  startComponentLog(w, started, pod);
  const plegT = started + w.rng.range(300, 1000) * MS;
  w.at(plegT, () => {
    if (!node.kubeletUp || pod.container.id !== id) return;
    k.log(w.now, KUBELET.syncLoopPleg, plegVals(pod, 'ContainerStarted', id), objs, inc);
    if (first) {
      const e2e = w.now - pod.created;
      // The SLO duration leaves image pulling out; times are the node's clock.
      const pulling = pulls.pullStart !== undefined && pulls.pullEnd !== undefined ? pulls.pullEnd - pulls.pullStart : 0;
      const sk = node.skew;
      k.log(w.now + MS, KUBELET.startupDuration, {
        pod: ref(pod.namespace, pod.name),
        podStartSLOduration: Number(((e2e - pulling) / SEC + w.rng.int(1000) / 1e9).toFixed(9)),
        podStartE2EDuration: goDuration(e2e),
        podCreationTimestamp: goTime(pod.created - (pod.created % SEC), false),
        // Go's zero time when nothing was pulled, as the kubelet prints it.
        firstStartedPulling: pulls.pullStart === undefined ? '0001-01-01 00:00:00 +0000 UTC' : goTime(pulls.pullStart + sk, true),
        lastFinishedPulling: pulls.pullEnd === undefined ? '0001-01-01 00:00:00 +0000 UTC' : goTime(pulls.pullEnd + sk, true),
        observedRunningTime: goTime(started + sk, true),
        watchObservedRunningTime: goTime(w.now + sk, true),
      }, objs, inc);
    }
  });
  const fault = pod.fault;
  if (fault?.kind === 'crash' || fault?.kind === 'oom') {
    const runFor = fault.kind === 'crash' ? fault.afterMs * MS : w.rng.range(20, 60) * SEC;
    w.at(started + runFor, () => containerDied(w, w.now, pod, id, fault.kind === 'crash' ? fault.exitCode : 137));
    return;
  }
  // Readiness: the first probe passes a few seconds after start (unless it is meant to fail).
  w.at(started + w.rng.range(2, 6) * SEC, () => probeCycle(w, pod, id));
}

function qualify(image: string): string {
  const slash = image.indexOf('/');
  if (slash > 0 && /[.:]/.test(image.slice(0, slash))) return image;
  return image.includes('/') ? `docker.io/${image}` : `docker.io/library/${image}`;
}

/** Images present on each node ("node|image"), per run. */
const presentByWorld = new WeakMap<World, Set<string>>();
function PRESENT_FOR(w: World): Set<string> {
  let s = presentByWorld.get(w);
  if (!s) {
    s = new Set();
    presentByWorld.set(w, s);
  }
  return s;
}

/** Marks images the node image ships (control-plane and CNI images are preloaded in kind). */
export function preloadImage(w: World, node: NodeState, image: string): void {
  PRESENT_FOR(w).add(`${node.name}|${image}`);
}

function pullFailure(w: World, t: number, pod: Pod): void {
  const node = w.node(pod.node!);
  if (!node.kubeletUp || pod.deleted || pod.terminating) return;
  const c = pod.container;
  const inc = pod.incident;
  const objs = [pod.uid];
  const q = qualify(c.image);
  const err = `rpc error: code = NotFound desc = failed to pull and unpack image "${q}": failed to resolve reference "${q}": ${q}: not found`;
  node.containerd.log(t, CONTAINERD.pullFailed, { image: c.image, error: err }, objs, inc, w.rng.int(1000));
  node.kubelet.log(t + MS, KUBELET.pullFailed, { err, image: c.image }, objs, inc);
  w.event(t + 2 * MS, EVENTS.pullFailed, { image: c.image, err }, pod, inc, node);
  w.event(t + 3 * MS, EVENTS.errImagePull, {}, pod, inc, node);
  const errText = `failed to "StartContainer" for "${c.name}" with ErrImagePull: "${err.replace(/"/g, '\\"')}"`;
  node.kubelet.log(t + 4 * MS, KUBELET.errorSyncing, { err: errText, pod: ref(pod.namespace, pod.name), podUID: pod.uid, podLegacy: podLegacyName(pod), errLegacy: errText }, objs, inc);
  // Image pull back-off: the pod worker retries, each attempt rejected while backing off.
  const state = pod as Pod & { pullBackoff?: number };
  state.pullBackoff = Math.min(BACKOFF_MAX, (state.pullBackoff ?? 5 * SEC) * 2);
  const backoff = state.pullBackoff;
  // While backing off, each resync (about every 10-15 s) logs the ImagePullBackOff error.
  let tt = t + w.rng.range(800, 1500) * MS;
  const retryAt = t + backoff;
  while (tt < retryAt) {
    const at = tt;
    w.at(at, () => backingOff(w, w.now, pod));
    tt += w.rng.range(11, 16) * SEC;
  }
  w.at(retryAt, () => {
    if (!node.kubeletUp || pod.deleted || pod.terminating) return;
    w.event(w.now, EVENTS.pulling, { image: c.image }, pod, inc, node);
    node.containerd.log(w.now + MS, CONTAINERD.pullImage, { image: c.image }, objs, inc, w.rng.int(1000));
    w.at(w.now + w.rng.range(400, 1500) * MS, () => pullFailure(w, w.now, pod));
  });
}

function backingOff(w: World, t: number, pod: Pod): void {
  const node = w.node(pod.node!);
  if (!node.kubeletUp || pod.deleted || pod.terminating) return;
  const c = pod.container;
  const objs = [pod.uid];
  w.event(t, EVENTS.backOffPull, { image: c.image }, pod, pod.incident, node);
  w.event(t + MS, EVENTS.imagePullBackOff, {}, pod, pod.incident, node);
  const errText = `failed to "StartContainer" for "${c.name}" with ImagePullBackOff: "Back-off pulling image \\"${c.image}\\""`;
  node.kubelet.log(t + 2 * MS, KUBELET.errorSyncing, { err: errText, pod: ref(pod.namespace, pod.name), podUID: pod.uid, podLegacy: podLegacyName(pod), errLegacy: errText }, objs, pod.incident);
}

/** The container exited (crash or OOM kill): PLEG, then CrashLoopBackOff until the back-off ends. */
export function containerDied(w: World, t: number, pod: Pod, id: string, exitCode: number): void {
  if (pod.deleted || pod.terminating || pod.container.id !== id) return;
  const node = w.node(pod.node!);
  const objs = [pod.uid];
  const inc = pod.incident;
  const secs = Math.floor((t + node.skew) / SEC);
  if (exitCode === 137) node.containerd.log(t - 2 * MS, CONTAINERD.taskOom, { id }, objs, inc, w.rng.int(1000));
  node.containerd.log(t, CONTAINERD.exitEvent, { id, pid: w.rng.range(2000, 60000), code: exitCode, sec: secs, nanos: w.rng.range(1, 999_999_999) }, objs, inc, w.rng.int(1000));
  pod.running = false;
  if (pod.ready) {
    pod.ready = false;
    w.controllers.podNotReadyAnymore(w, t, pod);
  }
  if (!node.kubeletUp) return;
  const k = node.kubelet;
  w.at(t + w.rng.range(300, 900) * MS, () => {
    k.log(w.now, KUBELET.containerFinished, { podID: pod.uid, containerID: id, exitCode }, objs, inc);
    k.log(w.now + MS, KUBELET.syncLoopPleg, plegVals(pod, 'ContainerDied', id), objs, inc);
    const state = pod as Pod & { crashBackoff?: number };
    state.crashBackoff = state.crashBackoff === undefined ? 10 * SEC : Math.min(BACKOFF_MAX, state.crashBackoff * 2);
    const backoff = state.crashBackoff;
    const c = pod.container;
    const errText = `failed to "StartContainer" for "${c.name}" with CrashLoopBackOff: "back-off ${goDuration(backoff)} restarting failed container=${c.name} pod=${podLegacyName(pod)}"`;
    let tt = w.now + 15 * MS;
    const restartAt = w.now + backoff;
    while (tt < restartAt) {
      const at = tt;
      w.at(at, () => {
        if (!node.kubeletUp || pod.deleted || pod.terminating) return;
        k.log(w.now, KUBELET.errorSyncing, { err: errText, pod: ref(pod.namespace, pod.name), podUID: pod.uid, podLegacy: podLegacyName(pod), errLegacy: errText }, objs, inc);
        w.event(w.now + MS, EVENTS.backOffRestart, { container: c.name, pod: pod.name, ns: pod.namespace, uid: pod.uid }, pod, inc, node);
      });
      tt += w.rng.range(10, 14) * SEC;
    }
    w.at(restartAt, () => {
      if (!node.kubeletUp || pod.deleted || pod.terminating) return;
      k.log(w.now, KUBELET.removeContainer, { containerID: id }, objs, inc);
      c.restarts++;
      startContainer(w, w.now + 20 * MS, pod, false);
    });
  });
}

/** Readiness probing: ready once, then (for a readiness fault) failing every period. */
export function probeCycle(w: World, pod: Pod, id: string): void {
  if (pod.deleted || pod.terminating || pod.container.id !== id || !pod.running) return;
  const node = w.node(pod.node!);
  if (!node.kubeletUp) return;
  const fault = pod.fault;
  const failing = fault?.kind === 'readiness' && w.now >= fault.since;
  const objs = [pod.uid];
  if (!failing) {
    if (!pod.ready) {
      pod.ready = true;
      node.kubelet.log(w.now, KUBELET.syncLoopProbe, { probe: 'readiness', status: 'ready', pod: ref(pod.namespace, pod.name) }, objs);
      w.controllers.podBecameReady(w, w.now, pod);
    }
    // Successful probes log nothing; come back when a readiness fault is due.
    if (fault?.kind === 'readiness') w.at(Math.max(w.now + 10 * SEC, fault.since), () => probeCycle(w, pod, id));
    return;
  }
  const st = pod as Pod & { probeFails?: number };
  st.probeFails = (st.probeFails ?? 0) + 1;
  const app = pod.app!;
  const output = app.probe === 'http'
    ? `HTTP probe failed with statuscode: 503`
    : `dial tcp ${pod.ip}:${app.port}: connect: connection refused`;
  node.kubelet.log(w.now, KUBELET.probeFailed, {
    probeType: 'Readiness',
    pod: ref(pod.namespace, pod.name),
    podUID: pod.uid,
    containerName: pod.container.name,
    probeResult: 'failure',
    output,
    podLegacy: podLegacyName(pod),
  }, objs, pod.incident);
  w.event(w.now + MS, EVENTS.unhealthy, { probe: 'Readiness', output }, pod, pod.incident, node);
  if (st.probeFails === 3 && pod.ready) {
    pod.ready = false;
    node.kubelet.log(w.now + 2 * MS, KUBELET.syncLoopProbe, { probe: 'readiness', status: 'not ready', pod: ref(pod.namespace, pod.name) }, objs, pod.incident);
    w.controllers.podNotReadyAnymore(w, w.now + 3 * MS, pod);
  }
  w.at(w.now + 10 * SEC, () => probeCycle(w, pod, id));
}

/** Graceful deletion seen by the kubelet: kill, tear down volumes, remove. */
export function kubeletDelete(w: World, t: number, pod: Pod): void {
  const node = w.node(pod.node!);
  pod.terminating = true;
  if (pod.ready) {
    pod.ready = false;
    w.controllers.podNotReadyAnymore(w, t, pod);
  }
  if (!node.kubeletUp) return; // stays Terminating until its kubelet comes back
  const k = node.kubelet;
  const objs = [pod.uid];
  const c = pod.container;
  k.log(t, KUBELET.syncLoopDelete, { source: 'api', pods: [`${pod.namespace}/${pod.name}`], podsLegacy: podLegacyName(pod) }, objs);
  if (c.id && pod.running) {
    k.log(t + MS, KUBELET.killing, { pod: ref(pod.namespace, pod.name), podUID: pod.uid, containerName: c.name, containerID: `containerd://${c.id}`, gracePeriod: 30 }, objs);
    w.event(t + 2 * MS, EVENTS.killing, { container: c.name }, pod, null, node);
    const stopped = t + w.rng.range(100, 900) * MS;
    const secs = Math.floor((stopped + node.skew) / SEC);
    node.containerd.log(stopped, CONTAINERD.exitEvent, { id: c.id, pid: w.rng.range(2000, 60000), code: 0, sec: secs, nanos: w.rng.range(1, 999_999_999) }, objs, null, w.rng.int(1000));
    pod.running = false;
  }
  let tt = t + 300 * MS;
  const vols = (pod as Pod & { vols?: { volume: string; unique: string; plugin: string }[] }).vols ?? [];
  for (const v of vols) k.log(tt, KUBELET.unmountStarted, { ...v, uid: pod.uid }, objs);
  tt += 5 * MS;
  for (const v of vols) k.f(tt, KUBELET.tearDown, { ...v, uid: pod.uid }, objs);
  tt += 100 * MS;
  for (const v of vols) k.log(tt, KUBELET.volumeDetached, { ...v, node: node.name }, objs);
  tt += 500 * MS;
  if (c.id) {
    k.log(tt, KUBELET.containerFinished, { podID: pod.uid, containerID: c.id, exitCode: 0 }, objs);
    k.log(tt + MS, KUBELET.syncLoopPleg, plegVals(pod, 'ContainerDied', c.id), objs);
  }
  w.at(tt + 20 * MS, () => {
    k.log(w.now, KUBELET.syncLoopDelete, { source: 'api', pods: [`${pod.namespace}/${pod.name}`], podsLegacy: podLegacyName(pod) }, objs);
    k.log(w.now + 10 * MS, KUBELET.syncLoopRemove, { source: 'api', pods: [`${pod.namespace}/${pod.name}`], podsLegacy: podLegacyName(pod) }, objs);
    if (c.id) k.log(w.now + 12 * MS, KUBELET.removeContainer, { containerID: c.id }, objs);
    pod.deleted = w.now;
    node.pods.delete(pod);
    node.usedCpu -= pod.cpuMilli;
    w.api(w.now + 5 * MS, {
      client: w.kubeletClient(node),
      verb: 'DELETE',
      uri: `/api/v1/namespaces/${pod.namespace}/pods/${pod.name}`,
      code: 200,
      latency: w.rng.latency(5 * MS),
      objects: objs,
      resource: 'pods',
      namespace: pod.namespace,
      name: pod.name,
    });
    w.controllers.podGone(w, w.now, pod);
  });
}

/** A ReplicaSet, the taint manager or the descheduler (an eviction) deletes a pod: the API request, then the kubelet's side. */
export function deletePod(w: World, t: number, pod: Pod, by: string, incident: string | null, evictedBy?: Client): void {
  if (pod.deleted || pod.terminating) return;
  // The DELETE sets deletionTimestamp: from now on the ReplicaSet no longer counts the pod.
  // An eviction (`evictedBy`, the descheduler) is a POST to the eviction subresource, which the
  // apiserver turns into the deletion: no DELETE of the client's own.
  pod.terminating = true;
  w.api(t, {
    client: evictedBy ?? w.controllerClient(by),
    verb: evictedBy ? 'POST' : 'DELETE',
    uri: `/api/v1/namespaces/${pod.namespace}/pods/${pod.name}${evictedBy ? '/eviction' : ''}`,
    code: evictedBy ? 201 : 200,
    latency: w.rng.latency(5 * MS),
    objects: [pod.uid],
    resource: 'pods',
    ...(evictedBy ? { subresource: 'eviction' } : {}),
    namespace: pod.namespace,
    name: pod.name,
    incident,
  });
  if (!pod.node) {
    pod.deleted = t;
    pod.terminating = true;
    w.controllers.podGone(w, t, pod);
    return;
  }
  w.at(t + w.rng.range(5, 25) * MS, () => kubeletDelete(w, w.now, pod));
}

/**
 * The kubelet's pod status patch. Its body (recorded at RequestResponse level) carries the pod's
 * uid as a precondition and, once the sandbox has one, the pod IP: what lets ktrail tell which pod
 * a CoreDNS client address was.
 */
export function statusPatch(w: World, pod: Pod): ApiRequest {
  const node = w.node(pod.node!);
  const status: Record<string, unknown> = { phase: 'Running' };
  if (pod.ip) {
    status.podIP = pod.ip;
    status.podIPs = [{ ip: pod.ip }];
  }
  return {
    requestObject: { metadata: { uid: pod.uid }, status },
    client: w.kubeletClient(node),
    verb: 'PATCH',
    uri: `/api/v1/namespaces/${pod.namespace}/pods/${pod.name}/status`,
    code: 200,
    latency: w.rng.latency(5 * MS),
    objects: [pod.uid],
    resource: 'pods',
    namespace: pod.namespace,
    name: pod.name,
    subresource: 'status',
  };
}
