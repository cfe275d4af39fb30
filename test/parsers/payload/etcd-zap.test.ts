import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PayloadResult } from '../../../parsers/types.js';
import { etcdZapParser } from '../../../parsers/payload/etcd-zap.js';
import { assertFoldsStack, parseHostile, tableTests, us } from './helpers.js';

const table: [string, PayloadResult][] = [
  [
    // kind 1.32 (etcd 3.5): raft lines carry "logger":"raft".
    '{"level":"info","ts":"2025-03-21T14:51:23.344605Z","logger":"raft","caller":"etcdserver/zap_raft.go:77","msg":"63e4b3a007ee9813 became leader at term 2"}',
    {
      format: 'etcd-zap',
      time: us(2025, 3, 21, 14, 51, 23, 344605),
      hasZone: true,
      severity: 'info',
      caller: 'etcdserver/zap_raft.go:77',
      message: '63e4b3a007ee9813 became leader at term 2',
      fields: { logger: 'raft', raft: 'became-leader', member: '63e4b3a007ee9813', term: 2, leader: '63e4b3a007ee9813' },
      objects: [],
      component: 'etcd',
    },
  ],
  [
    // etcd 3.4 (OpenShift 4.8): millisecond precision, raft's own caller, no logger key.
    '{"level":"info","ts":"2021-08-03T09:27:02.177Z","caller":"raft/node.go:325","msg":"raft.node: 5a492cc498c39e02 elected leader 30c29f1b390a6a04 at term 8"}',
    {
      format: 'etcd-zap',
      time: us(2021, 8, 3, 9, 27, 2, 177000),
      hasZone: true,
      severity: 'info',
      caller: 'raft/node.go:325',
      message: 'raft.node: 5a492cc498c39e02 elected leader 30c29f1b390a6a04 at term 8',
      fields: { raft: 'elected-leader', member: '5a492cc498c39e02', term: 8, leader: '30c29f1b390a6a04' },
      objects: [],
      component: 'etcd',
    },
  ],
  [
    // A slow request with an offset time; the request's key is escaped inside the JSON string.
    '{"level":"warn","ts":"2021-05-26T02:55:29.382+0100","caller":"etcdserver/util.go:163","msg":"apply request took too long","took":"469.7ms","expected-duration":"100ms","prefix":"read-only range ","request":"key:\\"/registry/pods/default/web\\" ","response":"range_response_count:1 size:2345"}',
    {
      format: 'etcd-zap',
      time: us(2021, 5, 26, 1, 55, 29, 382000),
      hasZone: true,
      severity: 'warn',
      caller: 'etcdserver/util.go:163',
      message: 'apply request took too long',
      fields: {
        took: '469.7ms',
        'expected-duration': '100ms',
        prefix: 'read-only range ',
        request: 'key:"/registry/pods/default/web" ',
        response: 'range_response_count:1 size:2345',
        slow: true,
        tookMs: 469.7,
        key: '/registry/pods/default/web',
      },
      objects: [{ kind: 'Pod', namespace: 'default', name: 'web', via: 'etcd-key', key: 'request' }],
      component: 'etcd',
    },
  ],
  [
    // A range over a prefix: the key is a list, range_end an exclusive bound: no object.
    '{"level":"warn","ts":"2025-03-21T15:00:00.5Z","caller":"etcdserver/util.go:170","msg":"apply request took too long","took":"1.2s","expected-duration":"100ms","prefix":"read-only range ","request":"key:\\"/registry/pods/default/\\" range_end:\\"/registry/pods/default0\\" ","response":"range_response_count:40 size:90210"}',
    {
      format: 'etcd-zap',
      time: us(2025, 3, 21, 15, 0, 0, 500000),
      hasZone: true,
      severity: 'warn',
      caller: 'etcdserver/util.go:170',
      message: 'apply request took too long',
      fields: {
        took: '1.2s',
        'expected-duration': '100ms',
        prefix: 'read-only range ',
        request: 'key:"/registry/pods/default/" range_end:"/registry/pods/default0" ',
        response: 'range_response_count:40 size:90210',
        slow: true,
        tookMs: 1200,
        key: '/registry/pods/default/',
      },
      objects: [],
      component: 'etcd',
    },
  ],
  [
    // A trace: logged only when long, so slow; the key is in `detail`; `steps` stays an array.
    '{"level":"info","ts":"2025-03-21T15:02:11.123456Z","caller":"traceutil/trace.go:171","msg":"trace[409419682] range","detail":"{range_begin:/registry/services/specs/default/kubernetes; range_end:; response_count:1; response_revision:612; }","duration":"102.918ms","start":"2025-03-21T15:02:11.020Z","end":"2025-03-21T15:02:11.123Z","steps":["trace[409419682] \'agreement among raft nodes before linearized reading\'  (duration: 102.7ms)"],"step_count":1}',
    {
      format: 'etcd-zap',
      time: us(2025, 3, 21, 15, 2, 11, 123456),
      hasZone: true,
      severity: 'info',
      caller: 'traceutil/trace.go:171',
      message: 'trace[409419682] range',
      fields: {
        detail: '{range_begin:/registry/services/specs/default/kubernetes; range_end:; response_count:1; response_revision:612; }',
        duration: '102.918ms',
        start: '2025-03-21T15:02:11.020Z',
        end: '2025-03-21T15:02:11.123Z',
        steps: ["trace[409419682] 'agreement among raft nodes before linearized reading'  (duration: 102.7ms)"],
        step_count: 1,
        trace: '409419682',
        traceOp: 'range',
        slow: true,
        tookMs: 102.918,
        key: '/registry/services/specs/default/kubernetes',
      },
      objects: [{ kind: 'Service', namespace: 'default', name: 'kubernetes', via: 'etcd-key', key: 'detail' }],
      component: 'etcd',
    },
  ],
  [
    // Nested JSON values (arrays, objects, null, booleans) stay as they are.
    '{"level":"info","ts":"2025-03-21T14:51:23.258780Z","caller":"embed/etcd.go:280","msg":"now serving peer/client/metrics","local-member-id":"63e4b3a007ee9813","listen-peer-urls":["https://172.19.0.7:2380"],"tls":{"client-cert-auth":true,"crl-file":null,"ports":[2379,2380]},"max-cpu-set":12}',
    {
      format: 'etcd-zap',
      time: us(2025, 3, 21, 14, 51, 23, 258780),
      hasZone: true,
      severity: 'info',
      caller: 'embed/etcd.go:280',
      message: 'now serving peer/client/metrics',
      fields: {
        'local-member-id': '63e4b3a007ee9813',
        'listen-peer-urls': ['https://172.19.0.7:2380'],
        tls: { 'client-cert-auth': true, 'crl-file': null, ports: [2379, 2380] },
        'max-cpu-set': 12,
      },
      objects: [],
      component: 'etcd',
    },
  ],
  [
    // etcd 3.4 with an epoch time encoder: float seconds.
    '{"level":"error","ts":1622000000.123456,"caller":"rafthttp/peer.go:1","msg":"lost TCP streaming connection with remote peer","remote-peer-id":"e58c878e0e01014","error":"EOF"}',
    {
      format: 'etcd-zap',
      time: 1622000000123456,
      hasZone: true,
      severity: 'error',
      caller: 'rafthttp/peer.go:1',
      message: 'lost TCP streaming connection with remote peer',
      fields: { 'remote-peer-id': 'e58c878e0e01014', error: 'EOF' },
      objects: [],
      component: 'etcd',
    },
  ],
  [
    // Re-serialized with sorted keys; dpanic is an error that does not stop the process.
    '{"caller":"x/y.go:1","level":"dpanic","msg":"odd","ts":"2025-03-21T14:51:23Z"}',
    {
      format: 'etcd-zap',
      time: us(2025, 3, 21, 14, 51, 23),
      hasZone: true,
      severity: 'error',
      caller: 'x/y.go:1',
      message: 'odd',
      fields: {},
      objects: [],
      component: 'etcd',
    },
  ],
  [
    '{"level":"info","ts":"2025-08-11T10:04:24.944920Z","caller":"etcdserver/server.go:1546","msg":"skipped leadership transfer for single voting member cluster","local-member-id":"aec36adc501070cc","current-leader-member-id":"aec36adc501070cc"}',
    {
      format: 'etcd-zap',
      time: us(2025, 8, 11, 10, 4, 24, 944920),
      hasZone: true,
      severity: 'info',
      caller: 'etcdserver/server.go:1546',
      message: 'skipped leadership transfer for single voting member cluster',
      fields: { 'local-member-id': 'aec36adc501070cc', 'current-leader-member-id': 'aec36adc501070cc' },
      objects: [],
      component: 'etcd',
    },
  ],
  [
    // Cut by the framing limit: not JSON any more, the head is salvaged.
    '{"level":"warn","ts":"2025-03-21T14:51:23.233242Z","caller":"embed/config.go:689","msg":"Running http and \\"grpc\\" on one port.","args":["etcd","--advertise-client-u',
    {
      format: 'etcd-zap',
      time: us(2025, 3, 21, 14, 51, 23, 233242),
      hasZone: true,
      severity: 'warn',
      caller: 'embed/config.go:689',
      message: 'Running http and "grpc" on one port.',
      fields: { malformed: true },
      objects: [],
      component: 'etcd',
    },
  ],
];

tableTests(
  etcdZapParser,
  { name: 'etcd zap lines give these exact results', table },
  {
    name: 'not etcd zap: klog JSON, audit events, other JSON loggers, garbage',
    lines: [
      '{"ts":1622000000123.456,"caller":"app/server.go:1","msg":"hello","v":0}', // klog JSON: no level
      '{"ts":1622000000.123,"caller":"app/server.go:1","msg":"hello","level":"Metadata"}',
      '{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"55a81824","stage":"ResponseComplete","msg":"x","ts":1}',
      '{"level":"info","msg":"x","time":"2025-03-21T14:51:23Z"}', // logrus: time, not ts
      '{"level":"verbose","ts":"2025-03-21T14:51:23Z","msg":"x"}',
      '{"level":"info"',
      '{',
      '',
      'level=info msg=x',
      'I0321 14:51:23.233242       1 server.go:1] {"level":"info","ts":"x","msg":"y"}',
    ],
  },
);

test('a panic folds its Go stack trace', () => {
  const header = '{"level":"panic","ts":"2025-03-21T14:51:23Z","caller":"etcdserver/server.go:1","msg":"failed to recover v3 backend"}';
  const r = assertFoldsStack(etcdZapParser, header, '{"level":"info","ts":"x","caller":"c","msg":"m"}', ['panic: failed', 'goroutine 1 [running]:']);
  assert.equal(r.severity, 'fatal');
});

test('garbage that looks like zap never throws', () => {
  const lines = [
    '{"level":"info","ts":"not a time","msg":"x"}',
    '{"level":"info","ts":null,"msg":7}',
    '{"level":"info","ts":-5,"msg":"x","caller":3}',
    '{"level":"info","ts":"2025-13-45T99:99:99Z","msg":"x"}',
    '{"level":"info","ts":"x","msg":"' + 'a'.repeat(200_000),
    '{"level":"info","ts":1,"msg":"/registry/' + '/'.repeat(10_000) + '"}',
    '{"level":"info","ts":1,"msg":"' + 'x term '.repeat(10_000) + '"}',
    '{"level":"info","ts":1,"msg":"\\ud800 \u0000 \u001b[31m"}',
  ];
  for (const line of lines) assert.equal(etcdZapParser.matches(line), true, line.slice(0, 80));
  for (const r of parseHostile(etcdZapParser, lines)) assert.equal(typeof r.message, 'string');
  assert.equal(etcdZapParser.parse(['{"level":"info","ts":"not a time","msg":"x"}'], {}).time, undefined);
  assert.equal(etcdZapParser.parse(['{"level":"info","ts":null,"msg":7}'], {}).message, '');
});
