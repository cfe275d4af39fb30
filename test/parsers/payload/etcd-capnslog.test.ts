import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PayloadResult } from '../../../parsers/types.js';
import { etcdCapnslogParser } from '../../../parsers/payload/etcd-capnslog.js';
import { assertFoldsStack, tableTests, us } from './helpers.js';

function result(partial: Partial<PayloadResult> & Pick<PayloadResult, 'message' | 'fields'>): PayloadResult {
  return { format: 'etcd-capnslog', severity: 'info', objects: [], component: 'etcd', ...partial };
}

const table: [string, PayloadResult][] = [
  [
    '2021-05-26 01:55:29.382834 I | etcdserver: published {Name:m1 ClientURLs:[http://127.0.0.1:2379]} to cluster c74448475845f0fb',
    result({
      time: us(2021, 5, 26, 1, 55, 29, 382834),
      hasZone: false,
      message: 'published {Name:m1 ClientURLs:[http://127.0.0.1:2379]} to cluster c74448475845f0fb',
      fields: { package: 'etcdserver' },
    }),
  ],
  [
    'raft2021/05/26 01:55:29 INFO: e58c878e0e01014 became leader at term 2',
    result({
      time: us(2021, 5, 26, 1, 55, 29),
      hasZone: false,
      message: 'e58c878e0e01014 became leader at term 2',
      fields: { package: 'raft', raft: 'became-leader', member: 'e58c878e0e01014', term: 2, leader: 'e58c878e0e01014' },
    }),
  ],
  [
    'raft2021/05/26 01:57:02 INFO: raft.node: e58c878e0e01014 changed leader from 8211f1d0f64f3269 to e58c878e0e01014 at term 3',
    result({
      time: us(2021, 5, 26, 1, 57, 2),
      hasZone: false,
      message: 'raft.node: e58c878e0e01014 changed leader from 8211f1d0f64f3269 to e58c878e0e01014 at term 3',
      fields: {
        package: 'raft',
        raft: 'changed-leader',
        member: 'e58c878e0e01014',
        term: 3,
        from: '8211f1d0f64f3269',
        to: 'e58c878e0e01014',
        leader: 'e58c878e0e01014',
      },
    }),
  ],
  [
    'raft2026/11/27 02:00:19 INFO: 3760a4ec3b84f7fa [logterm: 1, index: 3, vote: 0] cast MsgVote for 2943212f5e2cf73 [logterm: 1, index: 3] at term 2',
    result({
      time: us(2026, 11, 27, 2, 0, 19),
      hasZone: false,
      message: '3760a4ec3b84f7fa [logterm: 1, index: 3, vote: 0] cast MsgVote for 2943212f5e2cf73 [logterm: 1, index: 3] at term 2',
      fields: { package: 'raft', raft: 'cast-vote', member: '3760a4ec3b84f7fa', term: 2, to: '2943212f5e2cf73' },
    }),
  ],
  [
    // The slow request: the key sits escaped inside the quoted request.
    '2021-05-26 01:56:02.101010 W | etcdserver: read-only range request "key:\\"/registry/namespaces/default\\" " with result "range_response_count:1 size:257" took too long (638.07702ms) to execute',
    result({
      time: us(2021, 5, 26, 1, 56, 2, 101010),
      hasZone: false,
      severity: 'warn',
      message:
        'read-only range request "key:\\"/registry/namespaces/default\\" " with result "range_response_count:1 size:257" took too long (638.07702ms) to execute',
      fields: { package: 'etcdserver', slow: true, tookMs: 638.07702, key: '/registry/namespaces/default' },
      objects: [{ kind: 'Namespace', name: 'default', via: 'etcd-key', key: 'message' }],
    }),
  ],
  [
    // A slow transaction names the same lease three times: one object.
    '2021-05-26 01:56:03.000001 W | etcdserver: request "header:<ID:7587854286402370612 username:\\"kube-apiserver-etcd-client\\" auth_revision:1 > txn:<compare:<target:MOD key:\\"/registry/leases/kube-node-lease/node-1\\" mod_revision:612 > success:<request_put:<key:\\"/registry/leases/kube-node-lease/node-1\\" value_size:540 >> failure:<request_range:<key:\\"/registry/leases/kube-node-lease/node-1\\" > >>" with result "size:18" took too long (123.5ms) to execute',
    result({
      time: us(2021, 5, 26, 1, 56, 3, 1),
      hasZone: false,
      severity: 'warn',
      message:
        'request "header:<ID:7587854286402370612 username:\\"kube-apiserver-etcd-client\\" auth_revision:1 > txn:<compare:<target:MOD key:\\"/registry/leases/kube-node-lease/node-1\\" mod_revision:612 > success:<request_put:<key:\\"/registry/leases/kube-node-lease/node-1\\" value_size:540 >> failure:<request_range:<key:\\"/registry/leases/kube-node-lease/node-1\\" > >>" with result "size:18" took too long (123.5ms) to execute',
      fields: { package: 'etcdserver', slow: true, tookMs: 123.5, key: '/registry/leases/kube-node-lease/node-1' },
      objects: [{ kind: 'Lease', namespace: 'kube-node-lease', name: 'node-1', via: 'etcd-key', key: 'message' }],
    }),
  ],
  [
    '2021-05-26 01:56:04.500000 W | wal: sync duration of 1.512s, expected less than 1s',
    result({
      time: us(2021, 5, 26, 1, 56, 4, 500000),
      hasZone: false,
      severity: 'warn',
      message: 'sync duration of 1.512s, expected less than 1s',
      fields: { package: 'wal', slow: true, tookMs: 1512 },
    }),
  ],
  [
    '2026-11-27 02:00:25.111991 N | pkg/osutil: received terminated signal, shutting down...',
    result({
      time: us(2026, 11, 27, 2, 0, 25, 111991),
      hasZone: false,
      message: 'received terminated signal, shutting down...',
      fields: { package: 'pkg/osutil' },
    }),
  ],
  [
    '2026-11-27 02:00:22.580267 E | rafthttp: failed to read 2943212f5e2cf73 on stream Message (unexpected EOF)',
    result({
      time: us(2026, 11, 27, 2, 0, 22, 580267),
      hasZone: false,
      severity: 'error',
      message: 'failed to read 2943212f5e2cf73 on stream Message (unexpected EOF)',
      fields: { package: 'rafthttp' },
    }),
  ],
  [
    '2021-08-03 09:27:01.949309 W | pkg/flags: unrecognized environment variable ETCD_PORT_2379_TCP_PORT=2379',
    result({
      time: us(2021, 8, 3, 9, 27, 1, 949309),
      hasZone: false,
      severity: 'warn',
      message: 'unrecognized environment variable ETCD_PORT_2379_TCP_PORT=2379',
      fields: { package: 'pkg/flags' },
    }),
  ],
  [
    '2026-11-27 02:00:30.000000 C | etcdmain: listen tcp 127.0.0.1:2380: bind: address already in use',
    result({
      time: us(2026, 11, 27, 2, 0, 30),
      hasZone: false,
      severity: 'fatal',
      message: 'listen tcp 127.0.0.1:2380: bind: address already in use',
      fields: { package: 'etcdmain' },
    }),
  ],
  [
    // etcd 3.4's start-up warning looks like CoreDNS; it is etcd's.
    "[WARNING] Deprecated '--logger=capnslog' flag is set; use '--logger=zap' flag instead",
    result({ severity: 'warn', message: "Deprecated '--logger=capnslog' flag is set; use '--logger=zap' flag instead", fields: {} }),
  ],
  [
    // grpc's own Go logger inside etcd.
    'WARNING: 2026/11/27 02:08:13 [core] grpc: addrConn.createTransport failed to connect to {127.0.0.1:34633 127.0.0.1:34633 <nil> 0 <nil>}. Err: connection refused. Reconnecting...',
    result({
      time: us(2026, 11, 27, 2, 8, 13),
      hasZone: false,
      severity: 'warn',
      message: '[core] grpc: addrConn.createTransport failed to connect to {127.0.0.1:34633 127.0.0.1:34633 <nil> 0 <nil>}. Err: connection refused. Reconnecting...',
      fields: { package: 'grpc' },
    }),
  ],
];

tableTests(
  etcdCapnslogParser,
  { name: 'etcd capnslog and raft lines give these exact results', table },
  {
    name: 'not capnslog: klog, ISO times, unknown levels, CoreDNS',
    lines: [
      'I0321 14:51:23.233242       1 server.go:1] hello',
      '2021-05-26T01:55:29.382834Z I | etcdserver: iso time is not capnslog',
      '2021-05-26 01:55:29.382834 X | etcdserver: no such level',
      '2021-05-26 01:55:29 I | etcdserver: no micros',
      'raft: hello',
      'raft2021/05/26 01:55:29 NOTICE: unknown raft level',
      '[WARNING] plugin/kubernetes: starting server with unsynced Kubernetes API',
      'WARNING: something without a Go log time',
      '',
    ],
  },
);

test('a CRITICAL line folds the stack trace that follows it; others fold nothing', () => {
  const crit = '2026-11-27 02:00:30.000000 C | etcdmain: boom';
  assertFoldsStack(etcdCapnslogParser, crit, '2026-11-27 02:00:30.000000 E | etcdmain: not fatal', ['panic: boom', '', 'goroutine 1 [running]:']);
  assert.equal(etcdCapnslogParser.continues?.('\tmain.main()', ['raft2021/05/26 01:55:29 PANIC: boom']), true);
});
