/**
 * Google Cloud Logging exports of GKE clusters: `gcloud logging read --format=json` prints a
 * JSON array of LogEntry objects (Cloud Logging API reference, "LogEntry"):
 *
 *   [ { "insertId": "...", "logName": "projects/<p>/logs/stderr", "receiveTimestamp": "...",
 *       "resource": { "type": "k8s_container", "labels": { "cluster_name": "c1", "namespace_name": "kube-system",
 *                     "pod_name": "coredns-5d78c9869d-abcde", "container_name": "coredns", ... } },
 *       "severity": "INFO", "textPayload": "[INFO] ...", "timestamp": "2024-03-01T10:00:00.123456789Z" }, ... ]
 *
 * The line is textPayload, or jsonPayload's message (GKE node journals: jsonPayload.MESSAGE), or,
 * for Kubernetes audit entries (protoPayload of type google.cloud.audit.AuditLog, resource
 * k8s_cluster), an audit.k8s.io event rebuilt from the AuditLog fields (methodName
 * `io.k8s.core.v1.pods.create`, resourceName `core/v1/namespaces/<ns>/pods/<name>`), so that the
 * audit parser reads it as it reads the apiserver's own. Resource types (Cloud Logging "Monitored
 * resource types"): k8s_container, k8s_node (node_name), k8s_cluster, k8s_control_plane_component
 * (component_name: apiserver, scheduler, controller-manager...).
 */
import type { Component } from '../../src/model/event.js';
import type { SourceHints } from '../types.js';
import { componentFromName } from './component-names.js';
import { readLeadingTimestamp } from './timestamp.js';
import { asObject, asString, jsonItemsEnvelope, opaqueRecord, withoutFinalNewline, type CloudRecord, type JsonItemsService } from './json-items.js';

// This envelope's name, added to EnvelopeName (parsers/types.ts, EnvelopeNames).
declare module '../types.js' {
  interface EnvelopeNames {
    'gcloud-logging': true;
  }
}

/** GKE's control-plane component names. */
const CONTROL_PLANE: Readonly<Record<string, Component>> = {
  apiserver: 'kube-apiserver',
  'kube-apiserver': 'kube-apiserver',
  scheduler: 'kube-scheduler',
  'kube-scheduler': 'kube-scheduler',
  'controller-manager': 'kube-controller-manager',
  'kube-controller-manager': 'kube-controller-manager',
};

function hintsOf(entry: Record<string, unknown>): SourceHints {
  const resource = asObject(entry['resource']);
  const labels = asObject(resource?.['labels']) ?? {};
  const type = asString(resource?.['type']);
  const logName = asString(entry['logName'])?.replace(/^.*\/logs\//, '');
  const hints: SourceHints = {};
  if (logName) hints.identifier = decodeURIComponent(logName);
  const node = asString(labels['node_name']);
  if (node) hints.host = node;
  if (type === 'k8s_container') {
    const pod = asString(labels['pod_name']);
    const container = asString(labels['container_name']);
    if (pod) hints.pod = { name: pod, ...(asString(labels['namespace_name']) ? { namespace: asString(labels['namespace_name'])! } : {}), ...(container ? { container } : {}) };
    const c = container ? componentFromName(container) : undefined;
    if (c) hints.component = c;
  } else if (type === 'k8s_control_plane_component') {
    const name = asString(labels['component_name']);
    if (name) hints.component = CONTROL_PLANE[name] ?? componentFromName(name) ?? 'other';
  } else if (type === 'k8s_node' && logName) {
    // node logs are named by their unit: kubelet, docker, container-runtime, kube-node-installation...
    const c = componentFromName(decodeURIComponent(logName));
    if (c) hints.component = c;
  }
  return hints;
}

/** `core/v1/namespaces/default/pods/web-1` (or `apps/v1/...`, `core/v1/nodes/n1`) as an audit objectRef. */
function objectRefOf(resourceName: string): Record<string, string> | undefined {
  const p = resourceName.split('/');
  if (p.length < 3) return undefined;
  const [group, version, ...rest] = p;
  const ref: Record<string, string> = { apiVersion: version! };
  if (group !== 'core') ref['apiGroup'] = group!;
  let i = 0;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    ref['namespace'] = rest[1]!;
    i = 2;
  }
  if (rest[i]) ref['resource'] = rest[i]!;
  if (rest[i + 1]) ref['name'] = rest[i + 1]!;
  if (rest[i + 2]) ref['subresource'] = rest[i + 2]!;
  return ref;
}

/** An audit.k8s.io/v1 Event from a Kubernetes AuditLog protoPayload, or undefined. */
function auditEvent(entry: Record<string, unknown>, proto: Record<string, unknown>): string | undefined {
  const method = asString(proto['methodName']);
  if (!method?.startsWith('io.k8s.')) return undefined;
  const auth = asObject(proto['authenticationInfo']);
  const status = asObject(proto['status']);
  const meta = asObject(proto['requestMetadata']);
  const ts = asString(entry['timestamp']);
  const event: Record<string, unknown> = {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Metadata',
    auditID: asString(entry['insertId']) ?? '',
    stage: 'ResponseComplete',
    verb: method.slice(method.lastIndexOf('.') + 1),
    requestURI: `/${asString(proto['resourceName']) ?? ''}`,
    user: { username: asString(auth?.['principalEmail']) ?? '' },
    responseStatus: { code: typeof status?.['code'] === 'number' && status['code'] !== 0 ? status['code'] : 200 },
  };
  const ip = asString(meta?.['callerIp']);
  if (ip) event['sourceIPs'] = [ip];
  const ua = asString(meta?.['callerSuppliedUserAgent']);
  if (ua) event['userAgent'] = ua;
  const ref = asString(proto['resourceName']) ? objectRefOf(asString(proto['resourceName'])!) : undefined;
  if (ref) event['objectRef'] = ref;
  if (ts) {
    event['requestReceivedTimestamp'] = ts;
    event['stageTimestamp'] = ts;
  }
  return JSON.stringify(event);
}

function record(v: unknown): CloudRecord | undefined {
  const e = asObject(v);
  if (!e || (!asString(e['logName']) && !asObject(e['resource']))) return undefined;
  const json = asObject(e['jsonPayload']);
  const proto = asObject(e['protoPayload']);
  let text: string | undefined;
  if (typeof e['textPayload'] === 'string') text = e['textPayload'];
  else if (json) text = asString(json['message']) ?? asString(json['MESSAGE']) ?? asString(json['log']) ?? JSON.stringify(json);
  else if (proto) text = auditEvent(e, proto) ?? JSON.stringify(proto);
  if (text === undefined) return undefined;
  const rec: CloudRecord = { text: withoutFinalNewline(text), hints: hintsOf(e), item: v };
  const t = asString(e['timestamp']) ?? asString(e['receiveTimestamp']);
  const micros = t ? readLeadingTimestamp(t)?.micros : undefined;
  if (micros !== undefined) rec.time = micros;
  return rec;
}

export const gcloudLogging: JsonItemsService = {
  name: 'gcloud-logging',
  samples: ['[', '  {', '    "insertId": "kq9x2lf1a3b4c",', '    "logName": "projects/demo-project/logs/stderr",', '    "textPayload": "[INFO] plugin/reload: Running configuration SHA512 = 591cf3",', '    "timestamp": "2024-03-01T10:00:00.412345678Z"', '  }', ']'],
  score: (sample) => sample.filter((l) => /^\s*"logName"\s*:\s*"(?:projects|organizations|folders|billingAccounts)\/[^"]+\/logs\//.test(l) || /^\s*"insertId"\s*:/.test(l) || /^\[?\{"insertId":/.test(l)).length,
  records(value) {
    const list = Array.isArray(value) ? value : [value];
    const read = list.map(record);
    if (!read.some((r) => r !== undefined)) return undefined;
    return read.map((r, i) => r ?? opaqueRecord(list[i]));
  },
};

export const gcloudLoggingEnvelope = jsonItemsEnvelope(gcloudLogging);
