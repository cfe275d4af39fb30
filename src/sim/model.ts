/** The simulated cluster's objects and their ground truth (truth/objects.json). */

export type Kind =
  | 'Namespace'
  | 'Node'
  | 'Lease'
  | 'Deployment'
  | 'ReplicaSet'
  | 'DaemonSet'
  | 'Pod'
  | 'Service'
  | 'Endpoints'
  | 'EndpointSlice'
  | 'ConfigMap'
  // Not API objects: what an incident is about when the logs name no object (an admission
  // webhook by its name, a host:port dialled, a component). Truth roots only; no line links them.
  | 'Webhook'
  | 'Host'
  | 'Component';

export interface Obj {
  uid: string;
  kind: Kind;
  namespace?: string;
  name: string;
  owners: string[];
  created: number;
  deleted?: number;
  resourceVersion: number;
}

export interface ContainerInst {
  name: string;
  image: string;
  /** 64-hex container ID of the current instance ('' before the first start). */
  id: string;
  restarts: number;
}

export interface Pod extends Obj {
  kind: 'Pod';
  node?: string;
  ip?: string;
  container: ContainerInst;
  sandbox?: string;
  ready: boolean;
  running: boolean;
  static: boolean;
  /** The app this pod serves (a Service selects it), if any. */
  app?: App;
  rs?: ReplicaSet;
  daemon?: 'kube-proxy' | 'coredns';
  cpuMilli: number;
  /** Incident the pod's own trouble belongs to, if any. */
  incident: string | null;
  /** What goes wrong with this pod: undefined for a healthy one. */
  fault?: PodFault;
  pendingSince?: number;
  terminating: boolean;
}

export type PodFault =
  | { kind: 'image-not-found' }
  | { kind: 'crash'; exitCode: number; afterMs: number }
  | { kind: 'oom' }
  | { kind: 'unschedulable'; reason: 'cpu' | 'taint' }
  | { kind: 'readiness'; since: number }
  /** A secret volume whose secret does not exist: the kubelet never mounts it, the pod never starts. */
  | { kind: 'missing-secret'; volume: string; secret: string };

export interface ReplicaSet extends Obj {
  kind: 'ReplicaSet';
  hash: string;
  image: string;
  replicas: number;
  pods: Set<Pod>;
  deployment: Deployment;
}

export interface Deployment extends Obj {
  kind: 'Deployment';
  app: App;
  current?: ReplicaSet;
  old: ReplicaSet[];
}

export interface App {
  namespace: string;
  name: string;
  container: string;
  image: string;
  replicas: number;
  cpuMilli: number;
  port: number;
  portName: string;
  probe: 'http' | 'tcp';
  service?: Obj;
  endpoints?: Obj;
  slice?: Obj;
  clusterIP?: string;
  deployment?: Deployment;
  /** External names its pods look up (CoreDNS traffic). */
  lookups: string[];
  /** Readiness failing for every pod of the app from `since` (service-no-endpoints). */
  readinessFault?: { since: number; incident: string };
}

export function objectJson(o: Obj, iso: (us: number) => string): string {
  return JSON.stringify({
    uid: o.uid,
    kind: o.kind,
    namespace: o.namespace ?? null,
    name: o.name,
    owners: o.owners,
    created: iso(o.created),
    deleted: o.deleted === undefined ? null : iso(o.deleted),
  });
}
