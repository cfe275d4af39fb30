import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { DocumentItem, PayloadResult } from '../../../parsers/types.js';
import { k8sEventDocument, k8sEventLineParser } from '../../../parsers/payload/k8s-event.js';
import { corpus, corpusSkip } from '../../helpers/paths.js';
import { us } from './helpers.js';

/** Feeds a whole text to a fresh document reader, one line at a time. */
function read(text: string): { items: DocumentItem[]; setAside: number; lines: number } {
  const reader = k8sEventDocument.create();
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const items: DocumentItem[] = [];
  lines.forEach((t, i) => items.push(...reader.push({ text: t, no: i + 1 })));
  items.push(...reader.end());
  return { items, setAside: reader.setAside, lines: lines.length };
}

/** Items without their raw text, which is checked apart. */
function spans(items: DocumentItem[]): { result: PayloadResult; firstLine: number; lastLine: number }[] {
  return items.map(({ result, firstLine, lastLine }) => ({ result, firstLine, lastLine }));
}

// `kubectl get events -o json`: 4-space indentation, lines 1-57.
const CORE_JSON = `{
    "apiVersion": "v1",
    "items": [
        {
            "apiVersion": "v1",
            "count": 3,
            "eventTime": null,
            "firstTimestamp": "2025-03-21T14:52:00Z",
            "involvedObject": {
                "apiVersion": "v1",
                "fieldPath": "spec.containers{web}",
                "kind": "Pod",
                "name": "web-7d4b9c-x2x9q",
                "namespace": "shop",
                "uid": "5e0c6c1a-0001"
            },
            "kind": "Event",
            "lastTimestamp": "2025-03-21T14:53:10Z",
            "message": "Back-off restarting failed container web in pod web-7d4b9c-x2x9q_shop(5e0c6c1a-0001) {\\"x\\": \\"]\\"}",
            "metadata": {
                "creationTimestamp": "2025-03-21T14:52:00Z",
                "name": "web-7d4b9c-x2x9q.17a5c2d8f1e2b3c4",
                "namespace": "shop"
            },
            "reason": "BackOff",
            "source": {
                "component": "kubelet",
                "host": "kind-worker"
            },
            "type": "Warning"
        },
        {
            "apiVersion": "v1",
            "eventTime": "2025-03-21T14:51:40.123456Z",
            "involvedObject": {
                "kind": "Node",
                "name": "kind-worker",
                "namespace": "default"
            },
            "kind": "Event",
            "lastTimestamp": null,
            "message": "Node kind-worker status is now: NodeReady",
            "metadata": {
                "creationTimestamp": "2025-03-21T14:51:41Z",
                "name": "kind-worker.17a5"
            },
            "reason": "NodeReady",
            "reportingComponent": "kubelet",
            "source": {},
            "type": "Normal"
        }
    ],
    "kind": "List",
    "metadata": {
        "resourceVersion": ""
    }
}
`;

const BACKOFF: PayloadResult = {
  format: 'k8s-event',
  time: us(2025, 3, 21, 14, 53, 10),
  hasZone: true,
  severity: 'warn',
  message: 'BackOff: Back-off restarting failed container web in pod web-7d4b9c-x2x9q_shop(5e0c6c1a-0001) {"x": "]"}',
  fields: { reason: 'BackOff', type: 'Warning', count: 3, sourceComponent: 'kubelet', host: 'kind-worker' },
  objects: [{ kind: 'Pod', namespace: 'shop', name: 'web-7d4b9c-x2x9q', uid: '5e0c6c1a-0001', via: 'event', key: 'involvedObject' }],
  component: 'event',
  host: 'kind-worker',
};

const NODE_READY: PayloadResult = {
  format: 'k8s-event',
  time: us(2025, 3, 21, 14, 51, 40, 123456),
  hasZone: true,
  severity: 'info',
  message: 'NodeReady: Node kind-worker status is now: NodeReady',
  fields: { reason: 'NodeReady', type: 'Normal', sourceComponent: 'kubelet' },
  // A Node has no namespace, whatever the event says.
  objects: [{ kind: 'Node', name: 'kind-worker', via: 'event', key: 'involvedObject' }],
  component: 'event',
};

test('a core/v1 JSON EventList: each item with its line span, the rest set aside', () => {
  assert.equal(k8sEventDocument.detect(CORE_JSON.slice(0, 4096), 'events.json'), true);
  const { items, setAside, lines } = read(CORE_JSON);
  assert.deepEqual(spans(items), [
    { result: BACKOFF, firstLine: 4, lastLine: 31 },
    { result: NODE_READY, firstLine: 32, lastLine: 51 },
  ]);
  assert.equal(setAside, 9);
  assert.equal(lines, 57);
  // The raw text is exactly the item's JSON (indentation of its first line and the comma left out).
  const parsed = (JSON.parse(CORE_JSON) as { items: unknown[] }).items;
  assert.deepEqual(items.map((i) => JSON.parse(i.raw) as unknown), parsed);
  assert.ok(items[0]!.raw.startsWith('{\n            "apiVersion": "v1",'));
  assert.ok(items[0]!.raw.endsWith('"type": "Warning"\n        }'));
});

// events.k8s.io/v1, 2-space indentation; one item ends and the next starts on line 19.
const EVENTS_V1_JSON = `{
  "apiVersion": "events.k8s.io/v1",
  "kind": "EventList",
  "items": [
    {
      "apiVersion": "events.k8s.io/v1",
      "kind": "Event",
      "metadata": {"name": "web.1", "namespace": "shop", "creationTimestamp": "2025-03-21T14:50:00Z"},
      "eventTime": "2025-03-21T14:50:00.000001Z",
      "series": {"count": 4, "lastObservedTime": "2025-03-21T14:55:00.500000Z"},
      "reportingController": "default-scheduler",
      "reportingInstance": "default-scheduler-kind-control-plane",
      "action": "Scheduling",
      "reason": "FailedScheduling",
      "regarding": {"kind": "Pod", "namespace": "shop", "name": "web-0", "uid": "u-1"},
      "related": {"kind": "Node", "name": "kind-worker"},
      "note": "0/1 nodes are available: 1 Insufficient cpu.",
      "type": "Warning"
    }, {
      "apiVersion": "events.k8s.io/v1",
      "kind": "Event",
      "metadata": {"name": "web.2", "namespace": "shop", "creationTimestamp": "2025-03-21T14:56:00Z"},
      "eventTime": null,
      "deprecatedCount": 2,
      "deprecatedFirstTimestamp": "2025-03-21T14:56:00Z",
      "deprecatedLastTimestamp": "2025-03-21T14:57:00Z",
      "deprecatedSource": {"component": "kubelet", "host": "kind-worker"},
      "reason": "Pulled",
      "regarding": {"kind": "Pod", "namespace": "shop", "name": "web-0"},
      "note": "Container image \\"nginx:1.27\\" already present on machine",
      "type": "Normal"
    }
  ]
}`;

test('an events.k8s.io/v1 JSON EventList: regarding, related, note, series, deprecated fields', () => {
  assert.equal(k8sEventDocument.detect(EVENTS_V1_JSON, 'out.txt'), true);
  const { items, setAside } = read(EVENTS_V1_JSON);
  assert.deepEqual(spans(items), [
    {
      result: {
        format: 'k8s-event',
        time: us(2025, 3, 21, 14, 55, 0, 500000),
        hasZone: true,
        severity: 'warn',
        message: 'FailedScheduling: 0/1 nodes are available: 1 Insufficient cpu.',
        fields: { reason: 'FailedScheduling', type: 'Warning', count: 4, sourceComponent: 'default-scheduler', action: 'Scheduling' },
        objects: [
          { kind: 'Pod', namespace: 'shop', name: 'web-0', uid: 'u-1', via: 'event', key: 'regarding' },
          { kind: 'Node', name: 'kind-worker', via: 'event', key: 'related' },
        ],
        component: 'event',
      },
      firstLine: 5,
      lastLine: 19,
    },
    {
      result: {
        format: 'k8s-event',
        time: us(2025, 3, 21, 14, 57, 0),
        hasZone: true,
        severity: 'info',
        message: 'Pulled: Container image "nginx:1.27" already present on machine',
        fields: { reason: 'Pulled', type: 'Normal', count: 2, sourceComponent: 'kubelet', host: 'kind-worker' },
        objects: [{ kind: 'Pod', namespace: 'shop', name: 'web-0', via: 'event', key: 'regarding' }],
        component: 'event',
        host: 'kind-worker',
      },
      firstLine: 19,
      lastLine: 32,
    },
  ]);
  assert.equal(setAside, 6); // lines 1-4, 33, 34; line 19 belongs to both items
});

// A YAML list whose items sit at indentation 2, with a block scalar, a blank line inside it and
// a comment between items. Lines 1-31.
const YAML_LIST = `apiVersion: v1
kind: EventList
items:
  - apiVersion: v1
    kind: Event
    involvedObject:
      kind: Pod
      name: db-0
      namespace: shop
    reason: Unhealthy
    message: |-
      Readiness probe failed:
      - connection refused

    type: Warning
    count: 12
    lastTimestamp: "2025-03-21T15:00:00Z"
    source:
      component: kubelet
      host: kind-worker
  # a comment between items
  - apiVersion: v1
    kind: Event
    involvedObject: {kind: StatefulSet, name: db, namespace: shop}
    reason: SuccessfulCreate
    message: "create Pod db-0 in StatefulSet db successful"
    firstTimestamp: "2025-03-21T14:59:00Z"
    lastTimestamp: null
    source: {component: statefulset-controller}
metadata:
  resourceVersion: ""
`;

test('a YAML EventList with indented items, block scalars and comments', () => {
  assert.equal(k8sEventDocument.detect(YAML_LIST, 'x.yaml'), true);
  const { items, setAside, lines } = read(YAML_LIST);
  assert.deepEqual(spans(items), [
    {
      result: {
        format: 'k8s-event',
        time: us(2025, 3, 21, 15, 0, 0),
        hasZone: true,
        severity: 'warn',
        message: 'Unhealthy: Readiness probe failed:\n- connection refused',
        fields: { reason: 'Unhealthy', type: 'Warning', count: 12, sourceComponent: 'kubelet', host: 'kind-worker' },
        objects: [{ kind: 'Pod', namespace: 'shop', name: 'db-0', via: 'event', key: 'involvedObject' }],
        component: 'event',
        host: 'kind-worker',
      },
      firstLine: 4,
      lastLine: 20,
    },
    {
      result: {
        format: 'k8s-event',
        time: us(2025, 3, 21, 14, 59, 0),
        hasZone: true,
        severity: 'info',
        message: 'SuccessfulCreate: create Pod db-0 in StatefulSet db successful',
        fields: { reason: 'SuccessfulCreate', sourceComponent: 'statefulset-controller' },
        objects: [{ kind: 'StatefulSet', namespace: 'shop', name: 'db', via: 'event', key: 'involvedObject' }],
        component: 'event',
      },
      firstLine: 22,
      lastLine: 29,
    },
  ]);
  assert.equal(setAside, 6);
  assert.equal(lines, 31);
  assert.equal(items[1]!.raw.split('\n')[0], '  - apiVersion: v1');
});

test('single Event documents: YAML separated by ---, pretty JSON, one JSON object a line, a bare array', () => {
  const yamlDocs = `apiVersion: v1
kind: Event
involvedObject:
  kind: Pod
  name: x
  namespace: y
reason: Killing
message: Stopping container x
type: Normal
metadata:
  creationTimestamp: "2025-03-21T15:10:00Z"
  name: x.1
---
kind: Event
involvedObject: {kind: Pod, name: z, namespace: y}
reason: Started
`;
  const y = read(yamlDocs);
  assert.deepEqual(
    y.items.map((i) => [i.firstLine, i.lastLine, i.result.message, i.result.time]),
    [
      [1, 12, 'Killing: Stopping container x', us(2025, 3, 21, 15, 10, 0)],
      [14, 16, 'Started', undefined],
    ],
  );
  assert.equal(y.setAside, 1);

  const pretty = JSON.stringify(
    { kind: 'Event', apiVersion: 'v1', involvedObject: { kind: 'Pod', name: 'x', namespace: 'y' }, reason: 'Killing', message: 'm' },
    null,
    2,
  );
  const p = read(pretty + '\n' + pretty);
  assert.deepEqual(
    p.items.map((i) => [i.firstLine, i.lastLine]),
    [
      [1, 11],
      [12, 22],
    ],
  );
  assert.equal(p.setAside, 0);

  const ndjson = [
    '{"kind":"Event","involvedObject":{"kind":"Pod","name":"a","namespace":"n"},"reason":"A","message":"one"}',
    '',
    '{"kind":"ConfigMap","metadata":{"name":"not-an-event"}}',
    '{"kind":"Event","involvedObject":{"kind":"Pod","name":"b","namespace":"n"},"reason":"B","message":"two"}',
  ].join('\n');
  const n = read(ndjson);
  assert.deepEqual(
    n.items.map((i) => [i.firstLine, i.lastLine, i.result.message]),
    [
      [1, 1, 'A: one'],
      [4, 4, 'B: two'],
    ],
  );
  assert.equal(n.setAside, 2);

  const array = '[\n{"kind":"Event","involvedObject":{"kind":"Pod","name":"a"},"reason":"A","message":"x"},\n{"kind":"Event","reason":"B","message":"y"}\n]';
  const a = read(array);
  assert.deepEqual(
    a.items.map((i) => [i.firstLine, i.lastLine, i.result.message]),
    [
      [2, 2, 'A: x'],
      [3, 3, 'B: y'],
    ],
  );
  assert.equal(a.setAside, 2);
});

test('a compact one-line EventList gives every item on line 1', () => {
  const list = JSON.stringify({
    kind: 'EventList',
    items: [
      { kind: 'Event', reason: 'A', message: '{[', involvedObject: { kind: 'Pod', name: 'a' } },
      { kind: 'Event', reason: 'B', message: '"}]', involvedObject: { kind: 'Pod', name: 'b' } },
    ],
  });
  const { items, setAside } = read(list);
  assert.deepEqual(
    items.map((i) => [i.firstLine, i.lastLine, i.result.message]),
    [
      [1, 1, 'A: {['],
      [1, 1, 'B: "}]'],
    ],
  );
  assert.equal(setAside, 0);
});

test('cut or broken documents never throw; their partial items are set aside', () => {
  const cut = read(CORE_JSON.split('\n').slice(0, 40).join('\n'));
  assert.equal(cut.items.length, 1);
  assert.equal(cut.setAside, 3 + 9); // the list's head, then the 9 lines of the cut second item
  const brokenItem = read('{"items": [\n{"kind": "Event", "reason": broken},\n{"kind":"Event","reason":"ok","message":"m"}\n]}');
  assert.deepEqual(
    brokenItem.items.map((i) => i.result.message),
    ['ok: m'],
  );
  assert.equal(brokenItem.setAside, 3);
  const brokenYaml = read('items:\n- kind: Event\n  reason: [unclosed\n- kind: Event\n  reason: fine\n');
  assert.deepEqual(
    brokenYaml.items.map((i) => [i.firstLine, i.result.message]),
    [[4, 'fine']],
  );
  for (const junk of ['}}}]]]', '{"a":"\\', '- - - -', '\u0000\u0001', '[' + '['.repeat(10_000), 'items:\n' + '  x\n'.repeat(100)]) {
    const r = read(junk);
    assert.equal(r.items.length, 0, junk.slice(0, 20));
  }
});

test('detection: EventLists yes; audit logs, klog JSON, container logs and other lists no', () => {
  const yes: [string, string][] = [
    ['---\napiVersion: v1\nitems:\n- apiVersion: v1\n  count: 1\n  involvedObject:\n    kind: Pod\n  kind: Event\n', 'e.yaml'],
    ['{\n    "apiVersion": "v1",\n    "items": [\n        {\n            "involvedObject": {},\n            "kind": "Event"', 'x'],
    ['{"kind":"Event","involvedObject":{"kind":"Pod","name":"a"}}', 'stream.log'],
    ['apiVersion: v1\nitems: []\nkind: List\n', 'namespaces/x/core/events.yaml'],
  ];
  for (const [head, name] of yes) assert.equal(k8sEventDocument.detect(head, name), true, head);
  const no: [string, string][] = [
    ['{"kind":"Event","apiVersion":"audit.k8s.io/v1","auditID":"x","requestObject":{"involvedObject":{}}}', 'audit.log'],
    ['{"ts":1622000000123.4,"caller":"event.go:1","msg":"Event occurred","kind":"Pod"}', 'kcm.log'],
    ['2025-03-21T14:51:23.233523365Z stderr F {"level":"warn"}', 'etcd.log'],
    ['{\n  "kind": "PodList",\n  "items": [\n    {"kind": "Pod"}\n  ]\n}', 'pods.json'],
    ['apiVersion: v1\nitems:\n- kind: Pod\n', 'pods.yaml'],
    ['', 'events.yaml'],
  ];
  for (const [head, name] of no) assert.equal(k8sEventDocument.detect(head, name), false, head);
});

test('single-line JSON Events and watch records through the line parser', () => {
  const line =
    '{"kind":"Event","apiVersion":"v1","involvedObject":{"kind":"ReplicaSet","namespace":"shop","name":"web-7d4b9c","uid":"rs-1"},"reason":"SuccessfulCreate","message":"Created pod: web-7d4b9c-x2x9q","type":"Normal","count":1,"firstTimestamp":"2025-03-21T14:52:00Z","lastTimestamp":"2025-03-21T14:52:00Z","source":{"component":"replicaset-controller"}}';
  const expected: PayloadResult = {
    format: 'k8s-event',
    time: us(2025, 3, 21, 14, 52, 0),
    hasZone: true,
    severity: 'info',
    message: 'SuccessfulCreate: Created pod: web-7d4b9c-x2x9q',
    fields: { reason: 'SuccessfulCreate', type: 'Normal', count: 1, sourceComponent: 'replicaset-controller' },
    objects: [{ kind: 'ReplicaSet', namespace: 'shop', name: 'web-7d4b9c', uid: 'rs-1', via: 'event', key: 'involvedObject' }],
    component: 'event',
  };
  assert.equal(k8sEventLineParser.matches(line), true);
  assert.deepEqual(k8sEventLineParser.parse([line], {}), expected);
  const watch = `{"type":"ADDED","object":${line}}`;
  assert.equal(k8sEventLineParser.matches(watch), true);
  assert.deepEqual(k8sEventLineParser.parse([watch], {}), expected);

  assert.deepEqual(k8sEventLineParser.parse(['{"involvedObject": cut'], {}), {
    format: 'k8s-event',
    severity: 'info',
    message: '{"involvedObject": cut',
    fields: { malformed: true },
    objects: [],
    component: 'event',
  });
  for (const other of [
    '{"kind":"Event","apiVersion":"audit.k8s.io/v1","auditID":"x","requestObject":{"involvedObject":{}}}',
    '{"kind":"ConfigMap"}',
    'involvedObject',
    '',
  ]) {
    assert.equal(k8sEventLineParser.matches(other), false, other);
  }
});

test('the must-gather kube-system events.yaml: 11 events, 6 lines of list around them', { skip: corpusSkip() }, () => {
  const path = corpus('must-gather-etcd-events/release-4.8/namespaces/kube-system/core/events.yaml');
  const text = readFileSync(path, 'utf8');
  assert.equal(k8sEventDocument.detect(text.slice(0, 4096), path), true);
  const { items, setAside, lines } = read(text);
  assert.deepEqual(
    items.map((i) => [i.firstLine, i.lastLine]),
    [
      [4, 21],
      [22, 39],
      [40, 65],
      [66, 91],
      [92, 117],
      [118, 143],
      [144, 169],
      [170, 195],
      [196, 221],
      [222, 247],
      [248, 270],
    ],
  );
  assert.equal(setAside, 6);
  assert.equal(lines, 273);
  // The first two have no involved kind or name, no reason, no type: plain info events.
  assert.deepEqual(items[0]!.result, {
    format: 'k8s-event',
    time: us(2021, 8, 3, 9, 22, 38),
    hasZone: true,
    severity: 'info',
    message: 'Required control plane pods have been created',
    fields: { count: 1 },
    objects: [],
    component: 'event',
  });
  assert.deepEqual(items[2]!.result, {
    format: 'k8s-event',
    time: us(2021, 8, 3, 9, 14, 2),
    hasZone: true,
    severity: 'info',
    message: 'LeaderElection: ip-10-0-22-225_660ebfd3-9835-42be-9351-bfcd4d090c89 became leader',
    fields: { reason: 'LeaderElection', type: 'Normal', count: 1, sourceComponent: 'kube-controller-manager' },
    objects: [
      {
        kind: 'ConfigMap',
        namespace: 'kube-system',
        name: 'kube-controller-manager',
        uid: 'eb0c5706-1eec-49d8-bbe8-4820bb998b35',
        via: 'event',
        key: 'involvedObject',
      },
    ],
    component: 'event',
  });
  assert.deepEqual(items[10]!.result.objects, [{ kind: 'Namespace', name: 'kube-system', via: 'event', key: 'involvedObject' }]);
  assert.equal(items.filter((i) => i.result.fields['reason'] === 'LeaderElection').length, 8);
});
