/**
 * The cluster's Events as `kubectl get events -A -o json` prints them: an EventList ("kind":
 * "List") with 4-space indentation and keys in alphabetical order (kubectl prints unstructured
 * maps), items ordered by namespace then name as the apiserver lists them.
 */
import { isoSeconds } from './format/time.js';
import type { RecordedEvent, World } from './world.js';

function pretty(value: unknown, indent: string): string[] {
  // JSON.stringify with 4 spaces, split into lines: sorted keys are built by the caller.
  return JSON.stringify(value, null, 4)
    .split('\n')
    .map((l) => indent + l);
}

function sorted(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o).sort()) {
    const v = o[k];
    out[k] = v && typeof v === 'object' && !Array.isArray(v) ? sorted(v as Record<string, unknown>) : v;
  }
  return out;
}

function item(e: RecordedEvent): Record<string, unknown> {
  const involved: Record<string, unknown> = { apiVersion: e.involvedApiVersion, kind: e.involved.kind, name: e.involved.name, resourceVersion: String(e.involved.resourceVersion), uid: e.involved.uid };
  if (e.involved.namespace) involved.namespace = e.involved.namespace;
  const source: Record<string, unknown> = { component: e.source };
  if (e.host) source.host = e.host;
  return sorted({
    apiVersion: 'v1',
    count: e.count,
    eventTime: null,
    firstTimestamp: isoSeconds(e.first),
    involvedObject: involved,
    kind: 'Event',
    lastTimestamp: isoSeconds(e.last),
    message: e.message,
    metadata: { creationTimestamp: isoSeconds(e.first), name: e.name, namespace: e.namespace, resourceVersion: String(e.rv), uid: e.uid },
    reason: e.reason,
    reportingComponent: e.source,
    reportingInstance: e.host ?? '',
    source,
    type: e.type,
  });
}

/** Writes bundle/events.json with one truth record per line (item lines name the involved object). */
export function writeEvents(w: World): void {
  const f = w.out.file('events.json');
  const list = [...w.events.values()].sort((a, b) => (a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  f.write('{', [], null);
  f.write('    "apiVersion": "v1",', [], null);
  f.write('    "items": [', [], null);
  list.forEach((e, i) => {
    const lines = pretty(item(e), '        ');
    if (i < list.length - 1) lines[lines.length - 1] += ',';
    const inc = e.incident;
    const withNamed = e.named.length ? [e.involved.uid, ...e.named] : [e.involved.uid];
    for (const l of lines) f.write(l, l.startsWith('            "message": ') ? withNamed : [e.involved.uid], inc);
  });
  f.write('    ],', [], null);
  f.write('    "kind": "List",', [], null);
  f.write('    "metadata": {', [], null);
  f.write('        "resourceVersion": ""', [], null);
  f.write('    }', [], null);
  f.write('}', [], null);
}
