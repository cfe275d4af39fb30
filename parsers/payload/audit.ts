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
  return {
    kind,
    ...(namespace ? { namespace } : {}),
    ...(name ? { name } : {}),
    ...(uid ? { uid } : {}),
    via: 'audit',
    key,
  };
}

function parseEvent(e: Obj): PayloadResult {
  const fields: Obj = {};
  const objects: ObjectRef[] = [];
  const verb = str(e['verb']);
  const requestURI = str(e['requestURI']);
  const status = isObj(e['responseStatus']) ? e['responseStatus'] : undefined;
  const code = typeof status?.['code'] === 'number' ? status['code'] : undefined;
  const user = isObj(e['user']) ? str(e['user']['username']) : undefined;

  const put = (k: string, v: unknown): void => {
    if (v !== undefined) fields[k] = v;
  };
  put('auditID', str(e['auditID']));
  put('stage', str(e['stage']));
  put('verb', verb);
  put('user', user);
  put('userAgent', str(e['userAgent']));
  if (Array.isArray(e['sourceIPs'])) fields['sourceIPs'] = e['sourceIPs'];
  put('code', code);
  put('requestURI', requestURI);
  put('level', str(e['level']));

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
    const same = (o: { kind?: string; meta: Obj } | undefined): Obj | undefined => {
      if (!o || (o.kind !== undefined && o.kind.toLowerCase() !== kind?.toLowerCase())) return undefined;
      const n = str(o.meta['name']);
      return n === undefined || str(objectRef['name']) === undefined || n === str(objectRef['name']) ? o.meta : undefined;
    };
    // A subresource's response (a Binding, a Scale, an exec stream) is not the object.
    const meta = subresource ? undefined : same(response);
    // The apiserver fills objectRef.namespace for a Namespace with its own name: not a namespace.
    const namespace = kind && isClusterScopedKind(kind) ? undefined : (str(objectRef['namespace']) ?? str(meta?.['namespace']));
    const name = str(objectRef['name']) ?? str(meta?.['name']);
    // A status patch's body names the object's uid (the kubelet sends metadata.uid as a precondition).
    const patchUid = subresource === 'status' && request ? str(request.meta['uid']) : undefined;
    const uid = str(objectRef['uid']) ?? str(meta?.['uid']) ?? patchUid;
    if (kind) objects.push(ref(kind, namespace, name, uid, 'objectRef'));
    const target = namespace && name ? `${namespace}/${name}` : (name ?? namespace);
    label = [resource && subresource ? `${resource}/${subresource}` : resource, target].filter(Boolean).join(' ');

    if (kind === 'Pod') {
      const ips = podIPsOf(e['requestObject'], e['responseObject']);
      if (ips.length) fields['podIPs'] = ips;
    }

    const owners = ownersOf(meta ?? (subresource ? undefined : same(request)));
    if (owners.length > 0) {
      fields['owners'] = owners;
      for (const o of owners) {
        objects.push(ref(o.kind, isClusterScopedKind(o.kind) ? undefined : namespace, o.name, o.uid, 'ownerReferences'));
      }
    }
  }

  const message = [verb, label || requestURI, code].filter((p) => p !== undefined && p !== '').join(' ');
  const result: PayloadResult = {
    format: 'audit',
    severity: severityOf(code),
    message,
    fields,
    objects,
    component: 'audit',
  };
  for (const key of ['stageTimestamp', 'requestReceivedTimestamp', 'timestamp']) {
    const ts = str(e[key]);
    const t = ts ? parseRfc3339(ts) : undefined;
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
