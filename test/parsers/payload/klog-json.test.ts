import { test } from 'node:test';
import assert from 'node:assert/strict';
import { klogJsonParser, tsToMicros } from '../../../parsers/payload/klog-json.js';
import type { PayloadResult } from '../../../parsers/types.js';
import { parseHostile, tableTests } from './helpers.js';

const UID_A = '3e843632-6ff0-4a3c-b453-fb0485688c7c';

const CASES: [string, PayloadResult][] = [
  [
    `{"ts":1678412345123.456,"caller":"kubelet/kubelet.go:2453","msg":"SyncLoop (PLEG): event for pod","v":2,"pod":{"name":"web-0","namespace":"default"},"event":{"ID":"${UID_A}","Type":"ContainerStarted","Data":"abc"}}`,
    {
      format: 'klog-json', severity: 'info', verbosity: 2, message: 'SyncLoop (PLEG): event for pod',
      time: 1678412345123456, hasZone: true, caller: 'kubelet/kubelet.go:2453', component: 'kubelet',
      fields: { pod: { name: 'web-0', namespace: 'default' }, event: { ID: UID_A, Type: 'ContainerStarted', Data: 'abc' } },
      objects: [{ kind: 'Pod', namespace: 'default', name: 'web-0', uid: UID_A, via: 'field', key: 'pod' }],
    },
  ],
  [
    // An error line: err, no v. And ts in seconds, as some docs show it.
    '{"ts":1678412345.5,"caller":"app/server.go:100","msg":"Error running ProxyServer","err":"open /var/run/secrets/token: no such file or directory"}',
    {
      format: 'klog-json', severity: 'error', message: 'Error running ProxyServer', time: 1678412345500000, hasZone: true,
      caller: 'app/server.go:100', fields: { err: 'open /var/run/secrets/token: no such file or directory' }, objects: [],
    },
  ],
  [
    '{"ts":1678412345123,"logger":"replicaset-controller","caller":"replicaset/replica_set.go:679","msg":"Finished syncing","v":4,"kind":"ReplicaSet","key":"default/web-abc","duration":"1ms"}',
    {
      format: 'klog-json', severity: 'info', verbosity: 4, message: 'Finished syncing', time: 1678412345123000, hasZone: true,
      caller: 'replicaset/replica_set.go:679', component: 'kube-controller-manager',
      fields: { logger: 'replicaset-controller', kind: 'ReplicaSet', key: 'default/web-abc', duration: '1ms' },
      objects: [{ kind: 'ReplicaSet', namespace: 'default', name: 'web-abc', via: 'field', key: 'key' }],
    },
  ],
  [
    '{"ts":1678412345123,"caller":"scheduler/schedule_one.go:252","msg":"Successfully bound pod to node","v":2,"pod":{"name":"web-0","namespace":"default"},"node":{"name":"kind-worker"},"evaluatedNodes":1,"feasibleNodes":1}',
    {
      format: 'klog-json', severity: 'info', verbosity: 2, message: 'Successfully bound pod to node', time: 1678412345123000, hasZone: true,
      caller: 'scheduler/schedule_one.go:252', component: 'kube-scheduler',
      fields: { pod: { name: 'web-0', namespace: 'default' }, node: { name: 'kind-worker' }, evaluatedNodes: 1, feasibleNodes: 1 },
      objects: [
        { kind: 'Pod', namespace: 'default', name: 'web-0', via: 'field', key: 'pod' },
        { kind: 'Node', name: 'kind-worker', via: 'field', key: 'node' },
      ],
    },
  ],
  [
    // The apiserver's request log in JSON.
    '{"ts":1678412345000,"caller":"httplog/httplog.go:132","msg":"HTTP","v":3,"verb":"GET","URI":"/api/v1/namespaces/default/services/kubernetes","latency":"1ms","resp":200}',
    {
      format: 'klog-json', severity: 'info', verbosity: 3, message: 'HTTP', time: 1678412345000000, hasZone: true,
      caller: 'httplog/httplog.go:132', component: 'kube-apiserver',
      fields: { verb: 'GET', URI: '/api/v1/namespaces/default/services/kubernetes', latency: '1ms', resp: 200 },
      objects: [{ kind: 'Service', namespace: 'default', name: 'kubernetes', via: 'uri', key: 'URI' }],
    },
  ],
  [
    // A level key, where a writer adds one, wins over the v/err rule.
    '{"ts":1678412345000,"level":"warning","msg":"x","v":0}',
    { format: 'klog-json', severity: 'warn', verbosity: 0, message: 'x', time: 1678412345000000, hasZone: true, fields: {}, objects: [] },
  ],
  [
    // A cut line: not JSON any more, kept as text.
    '{"ts":1678412345123,"caller":"a.go:1","msg":"cut',
    { format: 'klog-json', severity: 'info', message: '{"ts":1678412345123,"caller":"a.go:1","msg":"cut', fields: {}, objects: [] },
  ],
];

tableTests(
  klogJsonParser,
  { name: 'klog JSON lines parse to exactly these results', table: CASES },
  {
    name: 'klog JSON does not match etcd, audit, CoreDNS or klog text',
    lines: [
      '{"level":"info","ts":"2025-03-21T14:51:23.344605Z","logger":"raft","caller":"etcdserver/zap_raft.go:77","msg":"became leader at term 2"}',
      '{"ts":"2025-03-21T14:51:23.344605Z","level":"info","msg":"string ts"}',
      '{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"x","stage":"ResponseComplete"}',
      '[INFO] 10.244.0.5:52345 - 12345 "A IN web.default.svc.cluster.local. udp 60 false 512" NOERROR qr,aa,rd 106 0.000123s',
      'I0608 18:48:23.457413       1 proxier.go:800] Syncing iptables rules',
      '{"log":"I0608 18:48:23.457413 ...\\n","stream":"stderr","time":"2021-06-08T18:48:23.45766111Z"}',
      '',
      '{',
    ],
  },
);

test('ts: milliseconds or seconds by magnitude', () => {
  assert.equal(tsToMicros(1678412345123.456), 1678412345123456);
  assert.equal(tsToMicros(1678412345.123456), 1678412345123456);
  assert.equal(tsToMicros(0), 0);
  assert.equal(tsToMicros(-1), undefined);
  assert.equal(tsToMicros('1678412345'), undefined);
  assert.equal(tsToMicros(Number.POSITIVE_INFINITY), undefined);
});

test('klog JSON parse never throws', () => {
  parseHostile(klogJsonParser, ['{"ts":1,"msg":{"a":1},"caller":5,"v":"x"}', '{"ts":1e400}', '{"ts":1,"__proto__":{"x":1}}', '{"ts":1}garbage']);
  const r = klogJsonParser.parse(['{"ts":1,"__proto__":{"x":1},"pod":"a/b","v":1}'], {});
  assert.deepEqual(Object.keys(r.fields), ['__proto__', 'pod']);
  assert.equal(Object.getPrototypeOf(r.fields), Object.prototype);
});
