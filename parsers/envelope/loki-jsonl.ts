/**
 * Grafana Loki's `logcli query --output jsonl`: one JSON object a line, as
 * grafana/loki pkg/logcli/output/jsonl.go writes it (Go's json.Marshal of a map, so the keys come
 * sorted):
 *
 *   {"labels":{"container":"kube-apiserver","namespace":"kube-system","pod":"kube-apiserver-cp1","node_name":"cp1"},"line":"I0301 ...","timestamp":"2024-03-01T10:00:00.123456789Z"}
 *
 * The labels are hints: namespace, pod, container (and the Promtail/Alloy Kubernetes defaults
 * node_name / instance, app or job for the writer). `--no-labels` leaves labels out.
 */
import type { SourceHints } from '../types.js';
import { componentFromName } from './component-names.js';
import { readLeadingTimestamp } from './timestamp.js';
import { asObject, asString, jsonItemsEnvelope, type CloudRecord, type JsonItemsService } from './json-items.js';

// This envelope's name, added to EnvelopeName (parsers/types.ts, EnvelopeNames).
declare module '../types.js' {
  interface EnvelopeNames {
    'loki-jsonl': true;
  }
}

function hintsOf(labels: Record<string, unknown> | undefined): SourceHints {
  const hints: SourceHints = {};
  if (!labels) return hints;
  const pod = asString(labels['pod']) ?? asString(labels['pod_name']);
  const namespace = asString(labels['namespace']) ?? asString(labels['namespace_name']);
  const container = asString(labels['container']) ?? asString(labels['container_name']);
  if (pod) {
    hints.pod = { name: pod };
    if (namespace) hints.pod.namespace = namespace;
    if (container) hints.pod.container = container;
  }
  const host = asString(labels['node_name']) ?? asString(labels['node']) ?? asString(labels['host']) ?? asString(labels['hostname']);
  if (host) hints.host = host;
  const writer = container ?? asString(labels['app']) ?? asString(labels['job'])?.replace(/^.*\//, '') ?? asString(labels['unit'])?.replace(/\.service$/, '');
  const component = writer ? componentFromName(writer) : undefined;
  if (component) hints.component = component;
  return hints;
}

export const lokiJsonl: JsonItemsService = {
  name: 'loki-jsonl',
  samples: [
    '{"labels":{"container":"coredns","namespace":"kube-system","pod":"coredns-5d78c9869d-abcde"},"line":"[INFO] plugin/reload: Running configuration SHA512 = 591cf3","timestamp":"2024-03-01T10:00:01Z"}',
  ],
  score: (sample) => sample.filter((l) => /^\{"labels":\{.*\},"line":".*","timestamp":"[^"]+"\}$|^\{"line":".*","timestamp":"[^"]+"\}$/.test(l)).length,
  records(value) {
    const o = asObject(value);
    if (!o || typeof o['line'] !== 'string') return undefined;
    const rec: CloudRecord = { text: o['line'], hints: hintsOf(asObject(o['labels'])), item: value };
    const ts = asString(o['timestamp']);
    const t = ts ? readLeadingTimestamp(ts) : undefined;
    if (t) rec.time = t.micros;
    return [rec];
  },
};

export const lokiJsonlEnvelope = jsonItemsEnvelope(lokiJsonl);
