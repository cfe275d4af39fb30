/**
 * Azure Monitor diagnostic-settings records of an AKS cluster's control plane, as Event Hubs and
 * exports deliver them (`{"records":[{...},...]}`, often on one line) or as a storage account
 * keeps them (one record per line). Each record:
 *
 *   { "category": "kube-apiserver", "operationName": "Microsoft.ContainerService/managedClusters/diagnosticLogs/Read",
 *     "resourceId": "/SUBSCRIPTIONS/.../MANAGEDCLUSTERS/<cluster>", "time": "2020-05-05T16:16:37.0000000Z",
 *     "properties": { "log": "<the component's line>\n", "stream": "stderr", "pod": "kube-apiserver-79599f95c7-qn557" } }
 *
 * Schema: Microsoft Learn, "Monitor AKS: resource logs" (AKS diagnostic categories) and "Azure
 * resource logs: common schema"; real sample: ../shared/corpus/aks-diagnostics-audit. For
 * kube-audit and kube-audit-admin, properties.log is an audit.k8s.io event serialized as JSON.
 */
import type { Component } from '../../src/model/event.js';
import { readLeadingTimestamp } from './timestamp.js';
import { asObject, asString, jsonItemsEnvelope, opaqueRecord, withoutFinalNewline, type CloudRecord, type JsonItemsService } from './json-items.js';

// This envelope's name, added to EnvelopeName (parsers/types.ts, EnvelopeNames).
declare module '../types.js' {
  interface EnvelopeNames {
    'azure-diagnostics': true;
  }
}

/** AKS diagnostic categories and the component each one's lines come from. */
const CATEGORIES: Readonly<Record<string, Component | undefined>> = {
  'kube-apiserver': 'kube-apiserver',
  'kube-controller-manager': 'kube-controller-manager',
  'kube-scheduler': 'kube-scheduler',
  // Audit events: the audit parser names them; the category only says which audit policy.
  'kube-audit': undefined,
  'kube-audit-admin': undefined,
  'cluster-autoscaler': 'other',
  guard: 'other', // the AAD integration webhook
  'cloud-controller-manager': 'other',
  'csi-azuredisk-controller': 'other',
  'csi-azurefile-controller': 'other',
  'csi-snapshot-controller': 'other',
};

function record(v: unknown): CloudRecord | undefined {
  const r = asObject(v);
  const props = asObject(r?.['properties']);
  const category = asString(r?.['category']);
  const log = asString(props?.['log']);
  if (!r || !props || !category || log === undefined) return undefined;
  const out: CloudRecord = { text: withoutFinalNewline(log), hints: { identifier: category }, item: v };
  const component = category in CATEGORIES ? CATEGORIES[category] : undefined;
  if (component) out.hints.component = component;
  const pod = asString(props['pod']);
  if (pod) out.hints.pod = { name: pod };
  const stream = props['stream'];
  if (stream === 'stdout' || stream === 'stderr') out.stream = stream;
  const time = asString(r['time']);
  const t = time ? readLeadingTimestamp(time) : undefined;
  if (t) out.time = t.micros;
  return out;
}

export const azureDiagnostics: JsonItemsService = {
  name: 'azure-diagnostics',
  samples: [
    '{"records": [{ "category": "kube-apiserver", "operationName": "Microsoft.ContainerService/managedClusters/diagnosticLogs/Read", "properties": {"log":"I0505 16:16:37.655912       1 controller.go:606] quota admission added evaluator for: leases.coordination.k8s.io\\n","stream":"stderr","pod":"kube-apiserver-79599f95c7-qn557"}, "time": "2020-05-05T16:16:37.0000000Z"}]}',
  ],
  score: (sample) =>
    sample.filter((l) => /^\s*\{\s*"records"\s*:\s*\[/.test(l) || (/"category"\s*:/.test(l) && /"properties"\s*:\s*\{[^}]*"log"\s*:/.test(l))).length,
  records(value) {
    const o = asObject(value);
    const list = Array.isArray(o?.['records']) ? (o!['records'] as unknown[]) : [value];
    const read = list.map(record);
    if (!read.some((r) => r !== undefined)) return undefined;
    // A record of another shape among them is kept as its JSON (an unrecognized event), not dropped.
    return read.map((r, i) => r ?? opaqueRecord(list[i]));
  },
};

export const azureDiagnosticsEnvelope = jsonItemsEnvelope(azureDiagnostics);
