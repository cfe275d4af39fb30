/**
 * The simulated cluster's shared state and the services every behaviour uses: the clock and the
 * action queue, object registration (UIDs, resourceVersions = etcd revisions), node and pod log
 * channels, API requests (apiserver HTTP line, trace when slow, audit event) and Events.
 */
import { Journal, JournalChannel, CriChannel } from './channels.js';
import { ActionQueue } from './heap.js';
import { Output, type RotationPolicy } from './io/output.js';
import { goDuration, isoMicros, isoSeconds, traceClock, traceStart } from './format/time.js';
import { ref, type KlogStyle } from './format/klog.js';
import { ContainerdLogger, EtcdLogger, KlogLogger, TextLogger, type Vals } from './loggers.js';
import type { App, Deployment, Kind, Obj, Pod } from './model.js';
import { Rng } from './rng.js';
import { APISERVER, CLIENT_GO, CONTROLLER_MANAGER } from './templates/index.js';
import type { EventTemplate } from './templates/define.js';
import { fill } from './templates/define.js';

export const SEC = 1_000_000;
export const MS = 1_000;

export interface SimOptions {
  scenario: string;
  seed: number;
  out: string;
  nodes: number;
  durationSec: number;
  skewMs: number;
  scale: number;
  k8sVersion: '1.32' | '1.20';
  loggingFormat: 'text' | 'json';
  controlPlanes: number;
  rotation: RotationPolicy;
  /** Include the one slow LIST whose >16 KiB lines are split into CRI P records. */
  longLines: boolean;
  /** kube-apiserver -v: at 3 and above, an HTTP line per request (httplog logs at V(3)). */
  apiserverVerbosity: number;
  start: number;
}

export interface NodeState {
  name: string;
  uid: string;
  leaseUid: string;
  role: 'control-plane' | 'worker';
  ip: string;
  podCidr: string;
  skew: number;
  kubeletPid: number;
  containerdPid: number;
  kubeletUp: boolean;
  ready: boolean;
  cpuMilli: number;
  usedCpu: number;
  taints: string[];
  journal: Journal;
  kubelet: KlogLogger;
  containerd: ContainerdLogger;
  systemdKubelet: TextLogger;
  systemdContainerd: TextLogger;
  systemd: TextLogger;
  pods: Set<Pod>;
  podIpNext: number;
  /** Last heartbeat the node lifecycle controller saw. */
  lastHeartbeat: number;
  proxy?: KlogLogger;
  etcd?: EtcdLogger;
  apiserver?: KlogLogger;
  scheduler?: KlogLogger;
  cm?: KlogLogger;
  memberId?: string;
  audit?: import('./io/output.js').LogFile;
}

export interface Incident {
  id: string;
  kind: string;
  root: string;
  start: number;
  end: number;
  components: Set<string>;
  lines: number;
}

export interface RecordedEvent {
  name: string;
  uid: string;
  namespace: string;
  involved: Obj;
  involvedApiVersion: string;
  reason: string;
  message: string;
  type: string;
  source: string;
  host?: string;
  first: number;
  last: number;
  count: number;
  rv: number;
  incident: string | null;
  /** Other objects the message names ("Created pod: x" on a ReplicaSet). */
  named: readonly string[];
}

export interface ApiRequest {
  client: Client;
  verb: 'GET' | 'LIST' | 'WATCH' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  uri: string;
  code: number;
  latency: number;
  objects: readonly string[];
  incident?: string | null;
  /** For the audit event. */
  resource: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  apiGroup?: string;
  apiVersion?: string;
  /** RequestResponse-level create: the created object's metadata goes in responseObject. */
  created?: Obj;
  /** RequestResponse-level body of a patch or update (the kubelet's pod status patch). */
  requestObject?: Record<string, unknown>;
  /** A kubelet probe of a health endpoint: answered even while etcd has no leader. */
  probe?: boolean;
  /** The apiserver that serves it (default: any, as kind's load balancer picks). */
  server?: NodeState;
}

export interface Client {
  user: string;
  groups: string[];
  agent: string;
  ip: string;
}

const NO_OBJECTS: readonly string[] = [];

const AUDIT_VERB = { GET: 'get', LIST: 'list', WATCH: 'watch', POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' } as const;

/**
 * The controllers' reactions to what the kubelet reports about a pod. The World carries them so
 * that the kubelet's side (behave/pods.ts) reaches the controllers (behave/controllers.ts, which
 * creates and deletes pods) without the two modules importing each other.
 */
export interface PodWatchers {
  podBecameReady(w: World, t: number, pod: Pod): void;
  podNotReadyAnymore(w: World, t: number, pod: Pod): void;
  podGone(w: World, t: number, pod: Pod): void;
}

export class World {
  readonly rng: Rng;
  readonly q = new ActionQueue();
  readonly out: Output;
  readonly end: number;
  now: number;
  revision = 1;
  readonly nodes: NodeState[] = [];
  readonly objects: Obj[] = [];
  readonly incidents: Incident[] = [];
  readonly events = new Map<string, RecordedEvent>();
  readonly apps: App[] = [];
  readonly deployments: Deployment[] = [];
  readonly namespaces = new Map<string, Obj>();
  readonly legacy: boolean;
  readonly version: string;
  clusterId = '';
  leaderIdx = 0;
  /** etcd trouble: extra latency (µs) and failure probability for API requests. */
  etcdSlow = 0;
  etcdFailing = 0;
  etcdIncident: string | null = null;
  /** Service IPs handed out by the apiserver's allocator. */
  private serviceIpNext = 11;
  private traceIds = 0;

  constructor(
    readonly opts: SimOptions,
    readonly controllers: PodWatchers,
  ) {
    this.rng = new Rng(opts.seed);
    this.now = opts.start;
    this.end = opts.start + opts.durationSec * SEC;
    this.legacy = opts.k8sVersion === '1.20';
    this.version = this.legacy ? 'v1.20.15' : 'v1.32.2';
    this.out = new Output(opts.out, (local) => Math.floor(local / SEC));
  }

  at(t: number, fn: () => void): void {
    if (t <= this.end) this.q.push(Math.floor(t), fn);
  }

  after(dt: number, fn: () => void): void {
    this.at(this.now + dt, fn);
  }

  /** Runs the queue in time order until the end of the simulated window. */
  run(): void {
    for (;;) {
      const a = this.q.pop();
      if (!a) break;
      this.now = a.t;
      a.run();
    }
  }

  rev(): number {
    return ++this.revision;
  }

  register<T extends Obj>(o: Omit<T, 'uid' | 'created' | 'resourceVersion'> & { uid?: string }, t = this.now): T {
    const obj = { ...o, uid: o.uid ?? this.rng.uuid(), created: t, resourceVersion: this.rev() } as unknown as T;
    this.objects.push(obj);
    return obj;
  }

  incident(kind: string, root: string, start: number, end: number, components: string[]): Incident {
    const inc: Incident = { id: `inc-${this.incidents.length + 1}-${kind}`, kind, root, start, end, components: new Set(components), lines: 0 };
    this.incidents.push(inc);
    return inc;
  }

  klogStyle(pid: number): KlogStyle {
    return { json: this.opts.loggingFormat === 'json', legacy: this.legacy, pid };
  }

  nextServiceIp(): string {
    return `10.96.${Math.floor(this.serviceIpNext / 250)}.${(this.serviceIpNext++ % 250) + 1}`;
  }

  /** A node's journal and loggers; component loggers are attached as their pods start. */
  addNode(name: string, role: NodeState['role'], index: number): NodeState {
    const skew = index === 0 ? 0 : Math.round((this.rng.next() * 2 - 1) * this.opts.skewMs * MS);
    const j = new Journal(this.out, name, skew, this.rng);
    const kubeletPid = this.rng.range(250, 900);
    const containerdPid = this.rng.range(150, 240);
    const node: NodeState = {
      name,
      uid: this.rng.uuid(),
      leaseUid: this.rng.uuid(),
      role,
      ip: `172.19.0.${index + 2}`,
      podCidr: `10.244.${index}.0/24`,
      skew,
      kubeletPid,
      containerdPid,
      kubeletUp: false,
      ready: false,
      cpuMilli: role === 'control-plane' ? 4000 : 4000,
      usedCpu: 0,
      taints: role === 'control-plane' ? ['node-role.kubernetes.io/control-plane'] : [],
      journal: j,
      kubelet: new KlogLogger(this, new JournalChannel(j, `kubelet[${kubeletPid}]`, 'kubelet'), this.klogStyle(kubeletPid)),
      containerd: new ContainerdLogger(this, new JournalChannel(j, `containerd[${containerdPid}]`, 'containerd')),
      systemdKubelet: new TextLogger(this, new JournalChannel(j, 'systemd[1]', 'kubelet')),
      systemdContainerd: new TextLogger(this, new JournalChannel(j, 'systemd[1]', 'containerd')),
      systemd: new TextLogger(this, new JournalChannel(j, 'systemd[1]', null)),
      pods: new Set(),
      podIpNext: 2,
      lastHeartbeat: 0,
    };
    this.nodes.push(node);
    return node;
  }

  node(name: string): NodeState {
    return this.nodes.find((n) => n.name === name)!;
  }

  get controlPlanes(): NodeState[] {
    return this.nodes.filter((n) => n.role === 'control-plane');
  }

  get workers(): NodeState[] {
    return this.nodes.filter((n) => n.role === 'worker');
  }

  /** The control-plane node whose apiserver serves a request (kind's load balancer round-robins). */
  apiNode(): NodeState {
    const cps = this.controlPlanes;
    return cps.length === 1 ? cps[0]! : cps[this.rng.int(cps.length)]!;
  }

  /** The CRI log of a pod's current container instance (pods/ and containers/ twins). */
  criChannel(pod: Pod): CriChannel {
    const node = this.node(pod.node!);
    const c = pod.container;
    const rel = `${node.name}/pods/${pod.namespace}_${pod.name}_${pod.uid}/${c.name}/${c.restarts}.log`;
    const twin = `${node.name}/containers/${pod.name}_${pod.namespace}_${c.name}-${c.id}.log`;
    const stream = pod.daemon === 'coredns' ? 'stdout' : 'stderr';
    return new CriChannel(this.out, rel, twin, this.opts.rotation, node.skew, this.rng, stream);
  }

  // ---- API requests ---------------------------------------------------------------------

  /**
   * One request through the apiserver: its HTTP line (and a Trace block when slow) in the serving
   * apiserver's log, and its audit event. Writes bump the etcd revision.
   */
  api(t: number, r: ApiRequest): void {
    const node = r.server ?? this.apiNode();
    const log = node.apiserver;
    // Before the apiserver serves, clients only get "connection refused": no request line.
    const readyAt = (node as NodeState & { apiReadyAt?: number }).apiReadyAt;
    if (!log || readyAt === undefined || t < readyAt) return;
    const isWrite = r.verb === 'POST' || r.verb === 'PUT' || r.verb === 'PATCH' || r.verb === 'DELETE';
    // Truth: the request line names an object only through its URI (a POST to a collection names
    // none); the audit event also carries the created object. Events are not tracked objects.
    const named = r.resource === 'events' || r.name === undefined ? NO_OBJECTS : r.objects;
    const audited = r.resource === 'events' ? NO_OBJECTS : r.name !== undefined || r.created ? r.objects : NO_OBJECTS;
    let latency = r.latency + (this.etcdSlow > 0 ? this.rng.latency(this.etcdSlow) : 0);
    let code = r.code;
    const inc = r.incident ?? (this.etcdSlow > 0 || this.etcdFailing > 0 ? this.etcdIncident : null);
    if (this.etcdFailing > 0 && r.verb !== 'WATCH' && !r.probe && this.rng.chance(this.etcdFailing)) {
      code = isWrite ? 500 : 504;
      latency = Math.max(latency, isWrite ? 7 * SEC + this.rng.int(500 * MS) : 5 * SEC);
      const cause = `etcdserver: ${isWrite ? 'request timed out' : 'leader changed'}`;
      const detail = `&errors.errorString{s:"${cause}"}: ${cause}`;
      log.log(t + latency, APISERVER.unhandled, { err: `apiserver received an error that is not an metav1.Status: ${detail}`, logger: 'UnhandledError', detail }, named, inc);
    } else if (isWrite) {
      this.rev();
    }
    const auditId = this.rng.uuid();
    const httpVerb = r.verb === 'LIST' || r.verb === 'WATCH' ? 'GET' : r.verb;
    // Request traces come from resource handlers: never for WATCH or health endpoints.
    if (latency > 500 * MS && r.verb !== 'WATCH' && r.resource !== '') this.trace(t, node, r, httpVerb, latency, auditId, inc, named);
    const vals: Vals = this.legacy
      ? { verb: httpVerb, URI: r.uri, latency: goDuration(latency), userAgent: r.client.agent, srcIP: `${r.client.ip}:${this.rng.range(32768, 60999)}`, resp: code }
      : {
          verb: r.verb,
          URI: r.uri,
          latency: goDuration(latency),
          userAgent: r.client.agent,
          'audit-ID': auditId,
          srcIP: `${r.client.ip}:${this.rng.range(32768, 60999)}`,
          apf_pl: r.probe ? 'exempt' : r.client.user.startsWith('system:node:') ? 'system' : r.client.user === 'kubernetes-admin' ? 'exempt' : 'workload-high',
          apf_fs: r.probe ? 'probes' : r.client.user.startsWith('system:node:') ? 'system-nodes' : r.client.user === 'kubernetes-admin' ? 'exempt' : 'kube-system-service-accounts',
          apf_iseats: 1,
          apf_fseats: 0,
          apf_additionalLatency: '0s',
          apf_execution_time: goDuration(Math.max(1, latency - this.rng.int(200))),
          resp: code,
        };
    if (this.opts.apiserverVerbosity >= 3) log.log(t + latency, this.legacy ? APISERVER.http120 : APISERVER.http, vals, named, inc);
    this.audit(node, t, latency, r, code, auditId, inc, audited);
  }

  private trace(t: number, node: NodeState, r: ApiRequest, httpVerb: string, latency: number, auditId: string, inc: string | null, named: readonly string[]): void {
    const id = 1_000_000_000 + ((this.rng.u32() + this.traceIds++) % 1_000_000_000);
    const totalMs = Math.round(latency / MS);
    const op = { GET: 'Get', LIST: 'List', POST: 'Create', PUT: 'Update', PATCH: 'Patch', DELETE: 'Delete', WATCH: 'Watch' }[r.verb];
    const url = r.uri.split('?')[0]!;
    const fields = this.legacy
      ? `url:${url},user-agent:${r.client.agent},client:${r.client.ip}`
      : `accept:application/vnd.kubernetes.protobuf, */*,audit-id:${auditId},client:${r.client.ip},api-group:${r.apiGroup ?? ''},api-version:${r.apiVersion ?? 'v1'},name:${r.name ?? ''},subresource:${r.subresource ?? ''},namespace:${r.namespace ?? ''},protocol:HTTP/2.0,resource:${r.resource},scope:${r.name ? 'resource' : r.namespace ? 'namespace' : 'cluster'},url:${url},user-agent:${r.client.agent},verb:${httpVerb}`;
    const local = t + node.skew;
    const steps: string[] = [];
    const stepName = r.verb === 'GET' || r.verb === 'LIST' ? 'About to write a response' : 'Write to database call succeeded';
    const stepMs = Math.max(1, totalMs - this.rng.int(3));
    steps.push(fill(APISERVER.traceStep.text, { id, step: stepName, ms: stepMs, clock: traceClock(local + stepMs * MS) }));
    const tot = goDuration(latency);
    steps.push(fill(APISERVER.traceEnd.text, { id, total: tot }));
    node.apiserver!.block(
      t + latency,
      APISERVER.traceHeader,
      { id, op, fields, start: traceStart(local), total: totalMs },
      steps,
      named,
      inc,
    );
  }

  private audit(node: NodeState, t: number, latency: number, r: ApiRequest, code: number, auditId: string, inc: string | null, audited: readonly string[]): void {
    // The audit policy (like the usual kube-up/GKE ones) drops lease heartbeats and Events at
    // level None: they would drown everything else.
    if (!node.audit || r.resource === 'leases' || r.resource === 'events' || r.resource === '') return;
    const verb = AUDIT_VERB[r.verb];
    const rr = (r.created !== undefined || r.requestObject !== undefined) && code < 300;
    // Built by hand, in the field order the apiserver's audit backend writes (hot path).
    const q = JSON.stringify;
    let objectRef = '{"resource":"' + r.resource + '"';
    if (r.namespace) objectRef += ',"namespace":' + q(r.namespace);
    if (r.name) objectRef += ',"name":' + q(r.name);
    if (r.apiGroup) objectRef += ',"apiGroup":"' + r.apiGroup + '"';
    objectRef += ',"apiVersion":"' + (r.apiVersion ?? 'v1') + '"';
    if (r.subresource) objectRef += ',"subresource":"' + r.subresource + '"';
    objectRef += '}';
    const status =
      code < 300
        ? '{"metadata":{},"code":' + code + '}'
        : '{"metadata":{},"status":"Failure","message":"etcdserver: ' + (code === 504 ? 'leader changed","reason":"Timeout"' : 'request timed out","reason":"InternalError"') + ',"code":' + code + '}';
    let line =
      '{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"' + (rr ? 'RequestResponse' : 'Metadata') + '","auditID":"' + auditId +
      '","stage":"ResponseComplete","requestURI":' + q(r.uri) + ',"verb":"' + verb + '","user":' + this.userJson(r.client) +
      ',"sourceIPs":["' + r.client.ip + '"],"userAgent":' + q(r.client.agent) + ',"objectRef":' + objectRef + ',"responseStatus":' + status;
    if (rr && r.requestObject) line += ',"requestObject":' + q(r.requestObject);
    if (rr && r.created) line += ',"responseObject":' + q(this.responseObject(r.created));
    line +=
      ',"requestReceivedTimestamp":"' + isoMicros(t + node.skew) + '","stageTimestamp":"' + isoMicros(t + latency + node.skew) +
      '","annotations":{"authorization.k8s.io/decision":"allow","authorization.k8s.io/reason":""}}';
    const audit = node.audit;
    const objs = audited;
    if (t + latency > this.now) this.at(t + latency, () => audit.write(line, objs, inc));
    else audit.write(line, objs, inc);
  }

  private userJsons = new Map<string, string>();

  private userJson(c: Client): string {
    let s = this.userJsons.get(c.user);
    if (!s) {
      s = JSON.stringify({ username: c.user, groups: c.groups });
      this.userJsons.set(c.user, s);
    }
    return s;
  }

  /** The metadata part of a created object, as the RequestResponse audit level records it. */
  private responseObject(o: Obj): Record<string, unknown> {
    const apiVersion = o.kind === 'ReplicaSet' || o.kind === 'Deployment' || o.kind === 'DaemonSet' ? 'apps/v1' : 'v1';
    const meta: Record<string, unknown> = { name: o.name };
    if (o.kind === 'Pod' && !(o as Pod).static) meta.generateName = o.name.slice(0, o.name.lastIndexOf('-') + 1);
    if (o.namespace) meta.namespace = o.namespace;
    meta.uid = o.uid;
    meta.resourceVersion = String(o.resourceVersion);
    meta.creationTimestamp = isoSeconds(o.created);
    const owners = o.owners.map((uid) => this.objects.find((x) => x.uid === uid)).filter((x): x is Obj => x !== undefined);
    if (owners.length) {
      meta.ownerReferences = owners.map((ow) => ({
        apiVersion: ow.kind === 'Node' ? 'v1' : 'apps/v1',
        kind: ow.kind,
        name: ow.name,
        uid: ow.uid,
        controller: true,
        blockOwnerDeletion: true,
      }));
    }
    return { kind: o.kind, apiVersion, metadata: meta };
  }

  // ---- Events ---------------------------------------------------------------------------

  /**
   * Records an Event (deduplicated like the client-go event correlator: same object, reason and
   * message increments count), POSTs or PATCHes it, and, for controller-manager sources, logs the
   * "Event occurred" line.
   */
  /**
   * Records an Event: its POST (or PATCH of the count) by the recorder's client (the kubelet's for
   * a host, else `by`, else the controller named by the source) and, when the controller-manager
   * recorded it, its "Event occurred" line. `by` is another program (the descheduler), which the
   * controller-manager knows nothing of.
   */
  event(t: number, tpl: EventTemplate, vals: Readonly<Record<string, unknown>>, involved: Obj, incident: string | null, host?: NodeState, named: readonly string[] = NO_OBJECTS, by?: Client): void {
    // Events posted before any apiserver serves are lost (the recorder gives up after retries).
    if (!this.controlPlanes.some((n) => ((n as NodeState & { apiReadyAt?: number }).apiReadyAt ?? Infinity) <= t)) return;
    const message = fill(this.legacy && tpl.legacy ? tpl.legacy : tpl.message, vals);
    const reason = fill(tpl.reason, vals);
    const source = fill(tpl.source, vals);
    const key = `${involved.uid}|${reason}|${message}`;
    let ev = this.events.get(key);
    const ns = involved.namespace ?? 'default';
    const apiVersion = involved.kind === 'ReplicaSet' || involved.kind === 'Deployment' || involved.kind === 'DaemonSet' ? 'apps/v1' : involved.kind === 'Lease' ? 'coordination.k8s.io/v1' : 'v1';
    if (ev) {
      ev.count++;
      ev.last = t;
      ev.rv = this.rev();
      ev.incident ??= incident;
    } else {
      ev = {
        name: `${involved.name}.${(BigInt(Math.floor(t / MS)) * 1000000n + BigInt(this.rng.int(1000000))).toString(16)}`,
        uid: this.rng.uuid(),
        namespace: ns,
        involved,
        involvedApiVersion: apiVersion,
        reason,
        message,
        type: tpl.type,
        source,
        host: host?.name,
        first: t,
        last: t,
        count: 1,
        rv: this.rev(),
        incident,
        named,
      };
      this.events.set(key, ev);
    }
    const client = host ? this.kubeletClient(host) : (by ?? this.controllerClient(source));
    const objs = named.length ? [involved.uid, ...named] : [involved.uid];
    this.api(t + 2 * MS, {
      client,
      verb: ev.count === 1 ? 'POST' : 'PATCH',
      uri: ev.count === 1 ? `/api/v1/namespaces/${ns}/events` : `/api/v1/namespaces/${ns}/events/${ev.name}`,
      code: ev.count === 1 ? 201 : 200,
      latency: this.rng.latency(3 * MS),
      objects: objs,
      incident,
      resource: 'events',
      namespace: ns,
      name: ev.count === 1 ? undefined : ev.name,
    });
    if (!host && !by && source !== 'default-scheduler') {
      const cm = this.cmLeader();
      cm?.cm?.log(t, CONTROLLER_MANAGER.eventOccurred, {
        object: ref(involved.namespace, involved.name),
        fieldPath: '',
        kind: involved.kind,
        apiVersion,
        type: tpl.type,
        reason,
        message,
      }, objs, incident);
    }
  }

  /** A client-go reflector's failed LIST (warning) and the watch error it reports (error). */
  reflectorFailed(t: number, log: KlogLogger | undefined, type: string, url: string | undefined, cause: string, objects: readonly string[], incident: string | null): void {
    if (!log) return;
    const source = `k8s.io/client-go/informers/factory.go:${this.legacy ? 134 : 160}`;
    const err = url ? `Get "${url}": ${cause}` : cause;
    // 1.20's reflector logs only the error line (unstructured).
    if (!this.legacy) log.f(t, CLIENT_GO.listFailed, { source, type, err }, objects, incident);
    log.log(t + 80, CLIENT_GO.watchFailed, { err: `${source}: Failed to watch ${type}: failed to list ${type}: ${err}`, logger: 'UnhandledError', source, type, cause: err }, objects, incident);
  }

  cmLeader(): NodeState | undefined {
    return this.controlPlanes[0];
  }

  kubeletClient(node: NodeState): Client {
    return {
      user: `system:node:${node.name}`,
      groups: ['system:nodes', 'system:authenticated'],
      agent: `kubelet/${this.version} (linux/amd64) kubernetes/${this.legacy ? 'ebd0e92' : '67a30c0'}`,
      ip: node.ip,
    };
  }

  controllerClient(name: string): Client {
    const cp = this.controlPlanes[0]!;
    if (name === 'default-scheduler' || name === 'kube-scheduler') {
      return { user: 'system:kube-scheduler', groups: ['system:authenticated'], agent: `kube-scheduler/${this.version} (linux/amd64) kubernetes/67a30c0/scheduler`, ip: cp.ip };
    }
    const sa = name.endsWith('-controller') ? name : `${name}-controller`;
    return {
      user: `system:serviceaccount:kube-system:${sa}`,
      groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'],
      agent: `kube-controller-manager/${this.version} (linux/amd64) kubernetes/67a30c0/system:serviceaccount:kube-system:${sa}`,
      ip: cp.ip,
    };
  }

  adminClient(): Client {
    return { user: 'kubernetes-admin', groups: ['kubeadm:cluster-admins', 'system:authenticated'], agent: `kubectl/${this.version} (linux/amd64) kubernetes/67a30c0`, ip: '172.19.0.1' };
  }

  nsObj(name: string): Obj {
    let o = this.namespaces.get(name);
    if (!o) {
      o = this.register<Obj>({ kind: 'Namespace', name, owners: [] });
      this.namespaces.set(name, o);
    }
    return o;
  }

  owner(o: Obj): Obj | undefined {
    return o.owners.length ? this.objects.find((x) => x.uid === o.owners[0]) : undefined;
  }

  newObj(kind: Kind, namespace: string | undefined, name: string, owners: string[]): Obj {
    return this.register<Obj>({ kind, namespace, name, owners });
  }

}
