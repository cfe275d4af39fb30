/**
 * The Kubernetes objects a klog event names (formats.md, "Where objects are named"), from its
 * structured fields (text or JSON) and from the patterns older, unstructured messages use.
 *
 * Refs come in a fixed order: fields in the order they were written, then patterns in the message
 * and in the free-text fields (err, error, the Event's message), then apiserver trace lines. Two
 * refs to the same object (same kind, namespace, name, uid) are one: the first wins. Pod UIDs found
 * on their own (podUID=, PLEG event IDs, volume UniqueNames, kubelet paths) are merged into the
 * event's one named Pod when there is exactly one named Pod and one UID; otherwise they stay
 * UID-only refs. A ref with neither name nor uid is never produced.
 */
import type { ObjectRef, RefVia } from '../../src/model/event.js';
import { kindFromResource } from './k8s-kinds.js';
import { parseGoList, parseGoPlusV, type Fields } from './klog-values.js';

/** Keys whose value names an object of a known kind (lower-cased; `pod` and `pods` are handled apart). */
const KIND_BY_KEY: ReadonlyMap<string, string> = new Map([
  ['node', 'Node'],
  ['nodename', 'Node'],
  ['replicaset', 'ReplicaSet'],
  ['deployment', 'Deployment'],
  ['daemonset', 'DaemonSet'],
  ['statefulset', 'StatefulSet'],
  ['job', 'Job'],
  ['cronjob', 'CronJob'],
  ['replicationcontroller', 'ReplicationController'],
  ['service', 'Service'],
  ['serviceportname', 'Service'],
  ['portname', 'Service'], // kube-proxy: "Adding new service port" portName="ns/svc:port"
  ['svcportname', 'Service'],
  ['endpointslice', 'EndpointSlice'],
  ['pvc', 'PersistentVolumeClaim'],
  ['persistentvolumeclaim', 'PersistentVolumeClaim'],
  ['pv', 'PersistentVolume'],
  ['persistentvolume', 'PersistentVolume'],
  ['configmap', 'ConfigMap'],
  ['secret', 'Secret'],
  ['serviceaccount', 'ServiceAccount'],
]);

/**
 * Kinds of KIND_BY_KEY that have no namespace. For the others a bare name is not taken: klog
 * renders a namespaced object as "ns/name", and a bare `service="podresources"` (kubelet's gRPC
 * rate limiter) is not a Service at all.
 */
const CLUSTER_SCOPED: ReadonlySet<string> = new Set(['Node', 'PersistentVolume']);

/** Keys whose value may be an apiserver request path. */
const URI_KEYS: ReadonlySet<string> = new Set(['URI', 'uri', 'url', 'URL', 'path', 'requestURI']);

/** Free-text fields worth scanning with the message patterns. */
const TEXT_KEYS: readonly string[] = ['err', 'error', 'message'];

const UID = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32})$/;

export function isUid(text: string): boolean {
  return (text.length === 36 || text.length === 32) && UID.test(text);
}

/** A ref with only the parts that are known (an absent part is absent, not undefined). */
function makeRef(kind: string, namespace: string | undefined, name: string | undefined, uid: string | undefined, via: RefVia, key: string): ObjectRef {
  const ref = { kind } as ObjectRef;
  if (namespace) ref.namespace = namespace;
  if (name) ref.name = name;
  if (uid) ref.uid = uid;
  ref.via = via;
  ref.key = key;
  return ref;
}

/** Collects refs, merging the ones that name the same object. */
class RefList {
  readonly refs: ObjectRef[] = [];
  /** Pod UIDs seen without a name, with where they came from. */
  readonly podUids: { uid: string; via: RefVia; key: string }[] = [];

  add(kind: string, namespace: string | undefined, name: string | undefined, uid: string | undefined, via: RefVia, key: string): void {
    if (!kind || (!name && !uid)) return;
    if (kind === 'Pod' && name) {
      this.addNamedPod(namespace, name, uid, via, key);
      return;
    }
    for (const r of this.refs) {
      if (r.kind === kind && r.namespace === namespace && r.name === name && r.uid === uid) return;
    }
    this.refs.push(makeRef(kind, namespace, name, uid, via, key));
  }

  /** A named Pod: joins an existing ref of the same pod (filling in its namespace or uid). */
  private addNamedPod(namespace: string | undefined, name: string, uid: string | undefined, via: RefVia, key: string): void {
    for (const r of this.refs) {
      if (r.kind !== 'Pod' || r.name !== name) continue;
      if (namespace && r.namespace && r.namespace !== namespace) continue;
      if (uid && r.uid && r.uid !== uid) continue;
      if (namespace && !r.namespace) r.namespace = namespace;
      if (uid && !r.uid) r.uid = uid;
      return;
    }
    this.refs.push(makeRef('Pod', namespace, name, uid, via, key));
  }

  podUid(uid: string, via: RefVia, key: string): void {
    if (isUid(uid)) this.podUids.push({ uid, via, key });
  }

  /** Attaches the lone Pod UIDs (see the module comment) and returns the final list. */
  finish(): ObjectRef[] {
    if (this.podUids.length === 0) return this.refs; // most lines: no Map for nothing
    const pending = new Map<string, { via: RefVia; key: string }>();
    for (const u of this.podUids) {
      if (this.refs.some((r) => r.kind === 'Pod' && r.uid === u.uid)) continue;
      if (!pending.has(u.uid)) pending.set(u.uid, { via: u.via, key: u.key });
    }
    if (pending.size === 0) return this.refs;
    const named = this.refs.filter((r) => r.kind === 'Pod' && r.name !== undefined);
    if (pending.size === 1 && named.length === 1 && named[0]!.uid === undefined) {
      named[0]!.uid = pending.keys().next().value as string;
      return this.refs;
    }
    for (const [uid, from] of pending) this.refs.push({ kind: 'Pod', uid, via: from.via, key: from.key });
    return this.refs;
  }
}

/** "ns/name" or "name" (or "ns/svc:port" with `dropPort`) -> parts; undefined for empty or spaced text. */
function splitRef(text: string, dropPort = false): { namespace?: string; name: string } | undefined {
  if (text === '' || text.length > 512 || /\s/.test(text)) return undefined;
  const slash = text.indexOf('/');
  let name = slash >= 0 ? text.slice(slash + 1) : text;
  if (dropPort) {
    const colon = name.indexOf(':');
    if (colon >= 0) name = name.slice(0, colon);
  }
  if (name === '' || name.includes('/')) return undefined;
  if (slash > 0) return { namespace: text.slice(0, slash), name };
  return slash === 0 ? undefined : { name };
}

/** A field value naming an object: "ns/name" text, or klog JSON's {"name":..,"namespace":..}. */
function addValueRef(list: RefList, kind: string, value: unknown, key: string, dropPort = false, needNamespace = false): void {
  if (typeof value === 'string') {
    if (kind === 'Pod') {
      const old = podFromNameNsUid(value);
      if (old) {
        list.add('Pod', old.namespace, old.name, old.uid, 'field', key);
        return;
      }
    }
    const parts = splitRef(value, dropPort);
    if (parts && (parts.namespace || !needNamespace)) list.add(kind, parts.namespace, parts.name, undefined, 'field', key);
    return;
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>;
    const name = typeof obj['name'] === 'string' ? obj['name'] : undefined;
    const ns = typeof obj['namespace'] === 'string' && obj['namespace'] !== '' ? obj['namespace'] : undefined;
    const uid = typeof obj['uid'] === 'string' && isUid(obj['uid']) ? obj['uid'] : undefined;
    if (name && (ns || !needNamespace)) list.add(kind, ns, name, uid, 'field', key);
  }
}

/** The old kubelet form of a pod: `name_namespace(uid)`, the whole text. */
function podFromNameNsUid(text: string): { namespace: string; name: string; uid: string } | undefined {
  if (!text.endsWith(')')) return undefined;
  const open = text.lastIndexOf('(');
  if (open < 0) return undefined;
  const uid = text.slice(open + 1, -1);
  if (!isUid(uid)) return undefined;
  const head = text.slice(0, open);
  const us = head.lastIndexOf('_');
  if (us <= 0 || us === head.length - 1) return undefined;
  const name = head.slice(0, us);
  const namespace = head.slice(us + 1);
  if (!NAME.test(name) || !NAME.test(namespace)) return undefined;
  return { namespace, name, uid };
}

const NAME = /^[a-z0-9][-a-z0-9.]*$/;

/** Characters an object name or namespace may hold (DNS subdomain). */
function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 || c === 46;
}

/** Every `name_namespace(uid)` inside free text: walks from each `(` back over name characters. */
function scanNameNsUid(list: RefList, text: string): void {
  let from = 0;
  for (let n = 0; n < 16; n++) {
    const open = text.indexOf('(', from);
    if (open < 0) return;
    from = open + 1;
    const close = text.indexOf(')', open);
    if (close < 0) return;
    const uid = text.slice(open + 1, close);
    if (!isUid(uid)) continue;
    let start = open;
    while (start > 0) {
      const c = text.charCodeAt(start - 1);
      if (isNameChar(c) || c === 95 /* _ */) start--;
      else break;
    }
    const found = podFromNameNsUid(text.slice(start, close + 1));
    if (found) list.add('Pod', found.namespace, found.name, found.uid, 'message', 'name_namespace(uid)');
  }
}

/** `pod "name" (UID: "uid")` (kubelet volume lines). */
function scanQuotedPodUid(list: RefList, text: string): void {
  let from = 0;
  for (let n = 0; n < 8; n++) {
    const at = text.indexOf('(UID: "', from);
    if (at < 0) return;
    from = at + 7;
    const end = text.indexOf('"', from);
    if (end < 0) return;
    const uid = text.slice(from, end);
    if (!isUid(uid)) continue;
    // The pod's name is the quoted word just before: `pod "kube-proxy-5sj54" (UID: ...`.
    const q2 = at - 2;
    let name: string | undefined;
    if (q2 > 0 && text.charCodeAt(q2) === 34) {
      const q1 = text.lastIndexOf('"', q2 - 1);
      if (q1 >= 0 && text.slice(Math.max(0, q1 - 4), q1) === 'pod ') name = text.slice(q1 + 1, q2);
    }
    // UnmountVolume lines put the UID where the name goes: `pod "<uid>" (UID: "<uid>")`.
    if (name && name !== uid && NAME.test(name) && !isUid(name)) list.add('Pod', undefined, name, uid, 'message', 'UID');
    else list.podUid(uid, 'message', 'UID');
  }
}

/** Volume `UniqueName: "kubernetes.io/<plugin>/<podUID>-<volume>"`: pod-scoped plugins only. */
function scanUniqueName(list: RefList, text: string): void {
  let from = 0;
  for (let n = 0; n < 8; n++) {
    const at = text.indexOf('kubernetes.io/', from);
    if (at < 0) return;
    from = at + 14;
    const slash = text.indexOf('/', from);
    if (slash < 0 || slash - from > 40) continue;
    const rest = slash + 1;
    for (const len of [36, 32]) {
      const uid = text.slice(rest, rest + len);
      if (text.charCodeAt(rest + len) === 45 /* - */ && isUid(uid)) {
        list.podUid(uid, 'message', 'UniqueName');
        break;
      }
    }
  }
}

/** `/var/log/pods/<ns>_<name>_<uid>/` and `/var/lib/kubelet/pods/<uid>/`. */
function scanPodPaths(list: RefList, text: string): void {
  let at = text.indexOf('/var/log/pods/');
  if (at >= 0) {
    const start = at + 14;
    const end = text.indexOf('/', start);
    const dir = text.slice(start, end < 0 ? undefined : end);
    const parts = dir.split('_');
    if (parts.length === 3 && NAME.test(parts[0]!) && NAME.test(parts[1]!) && isUid(parts[2]!)) {
      list.add('Pod', parts[0], parts[1], parts[2], 'message', 'pod log path');
    }
  }
  at = text.indexOf('/kubelet/pods/');
  if (at >= 0) {
    const start = at + 14;
    const end = text.indexOf('/', start);
    const uid = text.slice(start, end < 0 ? undefined : end);
    list.podUid(uid, 'message', 'pod dir');
  }
}

/**
 * `ObjectReference{Kind:Node,Namespace:,Name:x,UID:x,...}` (an Event's String()) and the older
 * `v1.ObjectReference{Kind:"ReplicaSet", Namespace:"ns", Name:"n", UID:"…", ...}` (%#v). Returns
 * the namespace of the object, for the "Created pod" pattern that may follow.
 */
function scanObjectReference(list: RefList, text: string, via: RefVia, key: string): string | undefined {
  const at = text.indexOf('ObjectReference{');
  if (at < 0) return undefined;
  const end = text.indexOf('}', at);
  if (end < 0) return undefined;
  const parts: Record<string, string> = {};
  for (const item of text.slice(at + 16, end).split(',')) {
    const colon = item.indexOf(':');
    if (colon < 0) continue;
    const k = item.slice(0, colon).trim();
    let v = item.slice(colon + 1).trim();
    if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1);
    if (k === 'Kind' || k === 'Namespace' || k === 'Name' || k === 'UID') parts[k] = v;
  }
  const kind = parts['Kind'];
  const name = parts['Name'];
  if (!kind || !name) return undefined;
  const uid = parts['UID'] && isUid(parts['UID']) ? parts['UID'] : undefined;
  const ns = parts['Namespace'] || undefined;
  list.add(kind, ns, name, uid, via, key);
  return ns;
}

/** Controller events: "Created pod: x", "Deleted pod: x", "Scaled up replica set x to 2", "Successfully assigned ns/x to n". */
function scanEventMessage(list: RefList, text: string, namespace: string | undefined): void {
  for (const lead of ['Created pod: ', 'Deleted pod: ']) {
    const at = text.indexOf(lead);
    if (at < 0) continue;
    const name = firstWord(text, at + lead.length);
    if (name && NAME.test(name)) list.add('Pod', namespace, name, undefined, 'message', lead.slice(0, -2));
  }
  for (const lead of ['Scaled up replica set ', 'Scaled down replica set ']) {
    const at = text.indexOf(lead);
    if (at < 0) continue;
    const name = firstWord(text, at + lead.length);
    if (name && NAME.test(name)) list.add('ReplicaSet', namespace, name, undefined, 'message', lead.trim());
  }
  const assigned = text.indexOf('Successfully assigned ');
  if (assigned >= 0) {
    const m = ASSIGNED.exec(text.slice(assigned));
    if (m) {
      list.add('Pod', m[1], m[2], undefined, 'message', 'Successfully assigned');
      list.add('Node', undefined, m[3], undefined, 'message', 'Successfully assigned');
    }
  }
}

const ASSIGNED = /^Successfully assigned ([a-z0-9][-a-z0-9.]*)\/([a-z0-9][-a-z0-9.]*) to ([^\s,"]+)/;

function firstWord(text: string, from: number): string {
  let end = from;
  while (end < text.length) {
    const c = text.charCodeAt(end);
    if (c === 32 || c === 34 || c === 44 || c === 39 || c === 41) break;
    end++;
  }
  return text.slice(from, end);
}

/** The scheduler's unstructured lines (before 1.19 and in some 1.19+ paths). */
const SCHEDULER_BOUND = /^pod ([a-z0-9][-a-z0-9.]*)\/([a-z0-9][-a-z0-9.]*) is bound successfully on node "?([^\s,"]+)"?/;
const SCHEDULER_BIND = /^Attempting to bind ([a-z0-9][-a-z0-9.]*)\/([a-z0-9][-a-z0-9.]*) to ([^\s,"]+)/;
const SCHEDULER_UNABLE = /^Unable to schedule ([a-z0-9][-a-z0-9.]*)\/([a-z0-9][-a-z0-9.]*):/;

function scanScheduler(list: RefList, message: string): void {
  const c = message.charCodeAt(0);
  let m: RegExpExecArray | null = null;
  let key = '';
  if (c === 112 /* p */ && message.includes(' is bound successfully on node ')) {
    m = SCHEDULER_BOUND.exec(message);
    key = 'bound';
  } else if (c === 65 /* A */ && message.startsWith('Attempting to bind ')) {
    m = SCHEDULER_BIND.exec(message);
    key = 'bind';
  } else if (c === 85 /* U */ && message.startsWith('Unable to schedule ')) {
    m = SCHEDULER_UNABLE.exec(message);
    key = 'unschedulable';
  }
  if (!m) return;
  list.add('Pod', m[1], m[2], undefined, 'message', key);
  if (m[3]) list.add('Node', undefined, m[3], undefined, 'message', key);
}

/** kube-proxy's unstructured `service port "ns/svc:port"` (Adding new / Updating existing / Removing). */
function scanServicePort(list: RefList, text: string): void {
  let from = 0;
  for (let n = 0; n < 8; n++) {
    const at = text.indexOf('service port "', from);
    if (at < 0) return;
    from = at + 14;
    const end = text.indexOf('"', from);
    if (end < 0) return;
    const parts = splitRef(text.slice(from, end), true);
    if (parts?.namespace) list.add('Service', parts.namespace, parts.name, undefined, 'message', 'service port');
  }
}

/**
 * An apiserver path to the object it names: /api/v1/namespaces/<ns>/<resource>/<name>[/sub],
 * /apis/<group>/<version>/..., /api/v1/<resource>/<name> (cluster-scoped), /api/v1/namespaces/<ns>.
 * Lists (no name) name no object.
 */
export function refFromApiPath(path: string): { kind: string; namespace?: string; name: string } | undefined {
  let end = path.length;
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c === 63 /* ? */ || c === 35 /* # */) {
      end = i;
      break;
    }
  }
  // At most the first ten segments matter (/apis/g/v/watch/namespaces/ns/resource/name/...).
  const segs: string[] = [];
  let at = 1; // past the leading slash
  while (at <= end && segs.length < 10) {
    let next = path.indexOf('/', at);
    if (next < 0 || next > end) next = end;
    segs.push(path.slice(at, next));
    at = next + 1;
  }
  if (segs.length > 0 && segs[segs.length - 1] === '') segs.pop(); // a trailing slash
  let i: number;
  if (segs[0] === 'api') i = 2;
  else if (segs[0] === 'apis') i = 3;
  else return undefined;
  if (segs.length <= i) return undefined;
  if (segs[i] === 'watch') i++;
  const rest = segs.slice(i);
  if (rest[0] === 'namespaces' && rest[1]) {
    const ns = rest[1];
    if (rest.length === 2) return { kind: 'Namespace', name: ns };
    if (rest.length >= 4 && rest[2] && rest[3]) return { kind: kindFromResource(rest[2]), namespace: ns, name: rest[3] };
    return undefined;
  }
  if (rest.length >= 2 && rest[0] && rest[1]) return { kind: kindFromResource(rest[0]), name: rest[1] };
  return undefined;
}

function addApiPath(list: RefList, path: string, key: string): void {
  const ref = refFromApiPath(path);
  if (ref) list.add(ref.kind, ref.namespace, ref.name, undefined, 'uri', key);
}

/** Every apiserver path inside free text (`GET /api/v1/...`, `url:/api/...`, `Get "https://h:6443/apis/..."`). */
function scanApiPaths(list: RefList, text: string, key: string): void {
  let from = 0;
  for (let n = 0; n < 8; n++) {
    const at = text.indexOf('/api', from);
    if (at < 0) return;
    from = at + 4;
    const next = text.charCodeAt(at + 4);
    if (next !== 47 /* / */ && !(next === 115 /* s */ && text.charCodeAt(at + 5) === 47)) continue;
    if (at > 0) {
      const before = text.charCodeAt(at - 1);
      // A word or a dotted name before it ("kubernetes.io/apis"...) is not a request path.
      if ((before >= 65 && before <= 90) || (before >= 97 && before <= 122) || before === 46 || before === 95 || before === 45) continue;
    }
    let end = at;
    while (end < text.length) {
      const c = text.charCodeAt(end);
      if (c === 32 || c === 34 || c === 39 || c === 44 || c === 41 || c === 59 || c === 9) break;
      end++;
    }
    from = end;
    // `GET /api/v1/namespaces/default/pods/web-1: (1.2ms) 200` (older httplog): the colon ends it.
    while (end > at && text.charCodeAt(end - 1) === 58 /* : */) end--;
    addApiPath(list, text.slice(at, end), key);
  }
}

/** The patterns of free text: message and free-text fields. */
function scanText(list: RefList, text: string, key: string, namespace: string | undefined): void {
  if (text.length === 0) return;
  if (text.includes('(')) {
    scanNameNsUid(list, text);
    if (text.includes('(UID: "')) scanQuotedPodUid(list, text);
  }
  if (text.includes('UniqueName')) scanUniqueName(list, text);
  if (text.includes('/pods/')) scanPodPaths(list, text);
  let ns = namespace;
  if (text.includes('ObjectReference{')) ns = scanObjectReference(list, text, 'message', 'ObjectReference') ?? ns;
  if (text.includes(' pod: ') || text.includes('replica set ') || text.includes('Successfully assigned ')) scanEventMessage(list, text, ns);
  if (text.includes('service port "')) scanServicePort(list, text);
  if (text.includes('/api')) scanApiPaths(list, text, key);
}

/**
 * The objects named by a klog event (text or JSON): its message, its fields, and the apiserver
 * trace lines that continue it (`Trace[N]: "Get" url:/api/v1/...`).
 */
export function klogObjects(message: string, fields: Fields, traceLines?: readonly string[]): ObjectRef[] {
  const list = new RefList();
  const kindField = typeof fields['kind'] === 'string' ? (fields['kind'] as string) : undefined;
  let objectNamespace: string | undefined;

  for (const key of Object.keys(fields)) {
    const value = fields[key];
    if (value === null || value === undefined || value === '') continue;
    switch (key) {
      case 'logger':
      case 'containerID':
      case 'kind':
        continue;
      case 'pod':
        addValueRef(list, 'Pod', value, key);
        continue;
      case 'pods':
        addPods(list, value, key);
        continue;
      case 'podUID':
      case 'podUid':
      case 'podID':
        if (typeof value === 'string') list.podUid(value, 'field', key);
        continue;
      case 'object':
        if (kindField) {
          addValueRef(list, kindField, value, key);
          if (typeof value === 'string') objectNamespace = splitRef(value)?.namespace;
          else if (typeof value === 'object') objectNamespace = nsOf(value);
        }
        continue;
      case 'key':
        // replica_set.go: "Finished syncing" kind="ReplicaSet" key="ns/name"; a key without a kind names nothing sure.
        if (kindField && fields['object'] === undefined) addValueRef(list, kindField, value, key);
        continue;
      case 'event':
        addEvent(list, value, key);
        continue;
    }
    if (URI_KEYS.has(key)) {
      if (typeof value === 'string' && value.startsWith('/api')) addApiPath(list, value, key);
      continue;
    }
    const kind = KIND_BY_KEY.get(key.toLowerCase());
    if (kind) addValueRef(list, kind, value, key, kind === 'Service', !CLUSTER_SCOPED.has(kind));
  }

  scanScheduler(list, message);
  scanText(list, message, 'message', objectNamespace);
  for (const key of TEXT_KEYS) {
    const value = fields[key];
    if (typeof value === 'string') scanText(list, value, key, objectNamespace);
  }
  // Absent rather than an empty array when there are none (most lines): no array per call, and
  // the loop only ever sees arrays of strings (an empty literal is another elements kind, whose
  // first sight deoptimized this function in every thread that parses).
  if (traceLines !== undefined) {
    for (const line of traceLines) {
      if (line.includes('/api')) scanApiPaths(list, line, 'trace');
    }
  }
  return list.finish();
}

function nsOf(value: object): string | undefined {
  const ns = (value as Record<string, unknown>)['namespace'];
  return typeof ns === 'string' && ns !== '' ? ns : undefined;
}

/** `pods=["ns/a","ns/b"]` (JSON), `pods=[ns/a ns/b]` (%v), or klog JSON's list of refs. */
function addPods(list: RefList, value: unknown, key: string): void {
  let items: unknown[] | undefined;
  if (Array.isArray(value)) items = value;
  else if (typeof value === 'string') items = parseGoList(value);
  if (!items) return;
  for (const item of items.slice(0, 256)) addValueRef(list, 'Pod', item, key);
}

/**
 * PLEG `event={"ID":"<podUID>","Type":...}` (JSON) or `event=&{ID:<podUID> Type:...}` (%+v), and
 * the kubelet's event recorder `event="&Event{...InvolvedObject:ObjectReference{...}}"`.
 */
function addEvent(list: RefList, value: unknown, key: string): void {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const id = (value as Record<string, unknown>)['ID'];
    if (typeof id === 'string') list.podUid(id, 'field', key);
    return;
  }
  if (typeof value !== 'string') return;
  if (value.startsWith('&{') || value.startsWith('{')) {
    const id = parseGoPlusV(value)?.['ID'];
    if (id) list.podUid(id, 'field', key);
    return;
  }
  if (value.includes('ObjectReference{')) scanObjectReference(list, value, 'field', key);
}
