/**
 * kube-apiserver audit events, one JSON object a line (audit.k8s.io/v1 and v1beta1). Real files
 * differ from the documented shape: re-serialized ones have sorted keys, some lack apiVersion
 * altogether, and v1beta1 carries `timestamp` beside (or instead of) the stage timestamps. So an
 * audit event is recognized by `"kind":"Event"` plus an `auditID`, not by its apiVersion.
 */
import type { ObjectRef, Severity } from '../../src/model/event.js';
import { parseRfc3339 } from '../../src/util/time.js';
import type { PayloadParser, PayloadSample, PayloadResult } from '../types.js';
import { isClusterScopedKind } from './k8s-kinds.js';
import { kindFromResource } from './k8s-kinds.js';
import { parseJson } from '../../src/util/json.js';
import { readLeadingTimestamp } from '../envelope/timestamp.js';

// This format's name, added to the model's PayloadFormat (src/model/event.ts, ParsedFormats).
declare module '../../src/model/event.js' {
  interface ParsedFormats {
    audit: true;
  }
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function matches(text: string): boolean {
  return (
    text.charCodeAt(0) === 123 /* { */ &&
    text.includes('"auditID"') &&
    (text.includes('"kind":"Event"') || text.includes('"kind": "Event"'))
  );
}

function severityOf(code: number | undefined): Severity {
  if (code === undefined) return 'info';
  if (code >= 500) return 'error';
  if (code >= 400) return 'warn';
  return 'info';
}

/** metadata of a response/request object that is the object itself (not a Status or a List). */
function objectMeta(o: unknown): { kind?: string; meta: Obj } | undefined {
  if (!isObj(o) || !isObj(o['metadata'])) return undefined;
  const kind = str(o['kind']);
  if (kind === 'Status' || kind?.endsWith('List')) return undefined;
  return { kind, meta: o['metadata'] };
}

interface Owner {
  kind: string;
  name: string;
  uid?: string;
}

function ownersOf(meta: Obj | undefined): Owner[] {
  const refs = meta?.['ownerReferences'];
  if (!Array.isArray(refs)) return [];
  const owners: Owner[] = [];
  for (const r of refs) {
    if (!isObj(r)) continue;
    const kind = str(r['kind']);
    const name = str(r['name']);
    if (!kind || !name) continue;
    const uid = str(r['uid']);
    owners.push(uid ? { kind, name, uid } : { kind, name });
  }
  return owners;
}

/**
 * Pod IPs a request or response states (the kubelet's status patch, a pod's full object): they
 * let the correlator tell which pod a CoreDNS client address was.
 */
function podIPsOf(...bodies: unknown[]): string[] {
  const ips = new Set<string>();
  for (const b of bodies) {
    const status = isObj(b) && isObj(b['status']) ? b['status'] : undefined;
    if (!status) continue;
    const one = str(status['podIP']);
    if (one) ips.add(one);
    if (Array.isArray(status['podIPs'])) for (const p of status['podIPs']) if (isObj(p) && str(p['ip'])) ips.add(str(p['ip'])!);
  }
  return [...ips];
}

function ref(kind: string, namespace: string | undefined, name: string | undefined, uid: string | undefined, key: string): ObjectRef {
  // Keys added in the order the refs always had (kind, namespace, name, uid, via, key), only
  // those present: no spread of a temporary object per key.
  const r = { kind } as ObjectRef;
  if (namespace) r.namespace = namespace;
  if (name) r.name = name;
  if (uid) r.uid = uid;
  r.via = 'audit';
  r.key = key;
  return r;
}

/** Sets the field when the value is present (a function, not a closure made per event). */
function put(fields: Obj, k: string, v: unknown): void {
  if (v !== undefined) fields[k] = v;
}

/**
 * The response's (or request's) metadata when it describes the objectRef's object: the same kind
 * (or no kind) and the same name (or either has none).
 */
function sameObject(o: { kind?: string; meta: Obj } | undefined, kind: string | undefined, refName: string | undefined): Obj | undefined {
  if (!o || (o.kind !== undefined && o.kind.toLowerCase() !== kind?.toLowerCase())) return undefined;
  const n = str(o.meta['name']);
  return n === undefined || refName === undefined || n === refName ? o.meta : undefined;
}

/**
 * An audit timestamp ("2025-03-21T14:51:20.168918Z"): through the envelope's reader when it is
 * the whole text (it keeps the last second's date arithmetic, and consecutive events mostly share
 * their second), else as any RFC3339 text.
 */
function auditTime(ts: string): { micros: number; hasZone: boolean } | undefined {
  const whole = readLeadingTimestamp(ts);
  if (whole && whole.payload === ts.length + 1) return { micros: whole.micros, hasZone: true };
  return parseRfc3339(ts);
}

/** The stage timestamps in the order they are tried. */
const TIME_KEYS = ['stageTimestamp', 'requestReceivedTimestamp', 'timestamp'] as const;

/** "verb label code" without the parts that are absent or empty. */
function joinPresent(verb: string | undefined, label: string | undefined, code: number | undefined): string {
  let out = verb ?? '';
  if (label !== undefined && label !== '') out = out === '' ? label : `${out} ${label}`;
  if (code !== undefined) out = out === '' ? String(code) : `${out} ${code}`;
  return out;
}

function parseEvent(e: Obj): PayloadResult {
  const fields: Obj = {};
  const objects: ObjectRef[] = [];
  const verb = str(e['verb']);
  const requestURI = str(e['requestURI']);
  const status = isObj(e['responseStatus']) ? e['responseStatus'] : undefined;
  const code = typeof status?.['code'] === 'number' ? status['code'] : undefined;
  const user = isObj(e['user']) ? str(e['user']['username']) : undefined;

  put(fields, 'auditID', str(e['auditID']));
  put(fields, 'stage', str(e['stage']));
  put(fields, 'verb', verb);
  put(fields, 'user', user);
  put(fields, 'userAgent', str(e['userAgent']));
  if (Array.isArray(e['sourceIPs'])) fields['sourceIPs'] = e['sourceIPs'];
  put(fields, 'code', code);
  put(fields, 'requestURI', requestURI);
  put(fields, 'level', str(e['level']));

  // The object: objectRef, completed by the response (or request) object when that is the
  // object itself: a create with generateName has its name and uid only in the response.
  const objectRef = isObj(e['objectRef']) ? e['objectRef'] : undefined;
  const response = objectMeta(e['responseObject']);
  const request = objectMeta(e['requestObject']);
  let label: string | undefined;
  if (objectRef) {
    const resource = str(objectRef['resource']);
    const subresource = str(objectRef['subresource']);
    const kind = resource ? kindFromResource(resource) : undefined;
    const refName = str(objectRef['name']);
    // A subresource's response (a Binding, a Scale, an exec stream) is not the object.
    const meta = subresource ? undefined : sameObject(response, kind, refName);
    // The apiserver fills objectRef.namespace for a Namespace with its own name: not a namespace.
    const namespace = kind && isClusterScopedKind(kind) ? undefined : (str(objectRef['namespace']) ?? str(meta?.['namespace']));
    const name = refName ?? str(meta?.['name']);
    // A status patch's body names the object's uid (the kubelet sends metadata.uid as a precondition).
    const patchUid = subresource === 'status' && request ? str(request.meta['uid']) : undefined;
    const uid = str(objectRef['uid']) ?? str(meta?.['uid']) ?? patchUid;
    if (kind) objects.push(ref(kind, namespace, name, uid, 'objectRef'));
    const target = namespace && name ? `${namespace}/${name}` : (name ?? namespace);
    const what = resource && subresource ? `${resource}/${subresource}` : resource;
    label = what && target ? `${what} ${target}` : (what || target || '');

    if (kind === 'Pod') {
      const ips = podIPsOf(e['requestObject'], e['responseObject']);
      if (ips.length) fields['podIPs'] = ips;
    }

    const owners = ownersOf(meta ?? (subresource ? undefined : sameObject(request, kind, refName)));
    if (owners.length > 0) {
      fields['owners'] = owners;
      for (const o of owners) {
        objects.push(ref(o.kind, isClusterScopedKind(o.kind) ? undefined : namespace, o.name, o.uid, 'ownerReferences'));
      }
    }
  }

  const message = joinPresent(verb, label || requestURI, code);
  const result: PayloadResult = {
    format: 'audit',
    severity: severityOf(code),
    message,
    fields,
    objects,
    component: 'audit',
  };
  for (const key of TIME_KEYS) {
    const ts = str(e[key]);
    const t = ts ? auditTime(ts) : undefined;
    if (t) {
      result.time = t.micros;
      result.hasZone = t.hasZone;
      break;
    }
  }
  return result;
}

const AUDIT_ID = /"auditID":"([^"\\]{1,100})"/;

function parse(lines: readonly string[]): PayloadResult {
  const text = lines[0] ?? '';
  const e = parseJson(text);
  if (isObj(e)) return parseEvent(e);
  // Cut or corrupted: keep what identifies the request.
  const id = AUDIT_ID.exec(text)?.[1];
  return {
    format: 'audit',
    severity: 'info',
    message: 'malformed audit event',
    fields: id ? { auditID: id, malformed: true } : { malformed: true },
    objects: [],
    component: 'audit',
  };
}

/** Real lines of this format and their expected parse (parsers/types.ts, PayloadSample). */
const SAMPLES: readonly PayloadSample[] = [
  {
    from: "audit-events/anonymous_creates_namespace_foo.json",
    text: "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1beta1\",\"metadata\":{\"creationTimestamp\":\"2018-10-25T13:58:49Z\"},\"level\":\"Request\",\"timestamp\":\"2018-10-25T13:58:49Z\",\"auditID\":\"841d3e6d-90d2-43df-8da4-684738bee3d5\",\"stage\":\"ResponseComplete\",\"requestURI\":\"/api/v1/namespaces\",\"verb\":\"create\",\"user\":{\"username\":\"system:anonymous\",\"groups\":[\"system:masters\",\"system:authenticated\"]},\"sourceIPs\":[\"192.168.99.1\"],\"objectRef\":{\"resource\":\"namespaces\",\"name\":\"foo\",\"apiVersion\":\"v1\"},\"responseStatus\":{\"metadata\":{},\"code\":201},\"requestObject\":{\"kind\":\"Namespace\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"foo\",\"creationTimestamp\":null},\"spec\":{},\"status\":{\"phase\":\"Active\"}},\"requestReceivedTimestamp\":\"2018-10-25T13:58:49.730588Z\",\"stageTimestamp\":\"2018-10-25T13:58:49.736141Z\",\"annotations\":{\"authorization.k8s.io/decision\":\"allow\",\"authorization.k8s.io/reason\":\"\"}}",
    expect: {severity:"info",message:"create namespaces foo 201",fields:{auditID:"841d3e6d-90d2-43df-8da4-684738bee3d5",verb:"create",user:"system:anonymous",code:201},component:"audit",objects:[{kind:"Namespace",name:"foo",via:"audit",key:"objectRef"}]},
  },
];

export const auditParser: PayloadParser = {
  format: 'audit',
  samples: SAMPLES,
  matches,
  parse: (lines) => parse(lines),
};
