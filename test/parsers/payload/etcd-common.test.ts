import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ObjectRef } from '../../../src/model/event.js';
import {
  addRaftFacts,
  addRegistryRefs,
  goDurationMs,
  isClusterScopedKind,
  refFromRegistryKey,
  requestKey,
} from '../../../parsers/payload/etcd-common.js';
import { assertEachGives } from '../../helpers/table.js';

test('raft facts: every leadership and election message etcd writes', () => {
  const table: [string, Record<string, unknown> | undefined][] = [
    ['63e4b3a007ee9813 became leader at term 2', { raft: 'became-leader', member: '63e4b3a007ee9813', term: 2, leader: '63e4b3a007ee9813' }],
    ['63e4b3a007ee9813 became candidate at term 2', { raft: 'became-candidate', member: '63e4b3a007ee9813', term: 2 }],
    ['63e4b3a007ee9813 became pre-candidate at term 1', { raft: 'became-pre-candidate', member: '63e4b3a007ee9813', term: 1 }],
    ['5a492cc498c39e02 became follower at term 7', { raft: 'became-follower', member: '5a492cc498c39e02', term: 7 }],
    [
      'raft.node: bdae9bbc11dd390d elected leader 2943212f5e2cf73 at term 2',
      { raft: 'elected-leader', member: 'bdae9bbc11dd390d', term: 2, leader: '2943212f5e2cf73' },
    ],
    [
      'raft.node: bdae9bbc11dd390d lost leader 2943212f5e2cf73 at term 3',
      { raft: 'lost-leader', member: 'bdae9bbc11dd390d', term: 3, leader: '2943212f5e2cf73' },
    ],
    [
      'raft.node: e58c878e0e01014 changed leader from 8211f1d0f64f3269 to e58c878e0e01014 at term 4',
      { raft: 'changed-leader', member: 'e58c878e0e01014', term: 4, from: '8211f1d0f64f3269', to: 'e58c878e0e01014', leader: 'e58c878e0e01014' },
    ],
    ['63e4b3a007ee9813 is starting a new election at term 1', { raft: 'starting-election', member: '63e4b3a007ee9813', term: 1 }],
    [
      'bdae9bbc11dd390d received MsgVoteResp from 3760a4ec3b84f7fa at term 3',
      { raft: 'vote-response', member: 'bdae9bbc11dd390d', term: 3, from: '3760a4ec3b84f7fa' },
    ],
    [
      '63e4b3a007ee9813 received MsgPreVoteResp from 63e4b3a007ee9813 at term 1',
      { raft: 'prevote-response', member: '63e4b3a007ee9813', term: 1, from: '63e4b3a007ee9813' },
    ],
    [
      'bdae9bbc11dd390d received MsgVoteResp rejection from 3760a4ec3b84f7fa at term 5',
      { raft: 'vote-rejection', member: 'bdae9bbc11dd390d', term: 5, from: '3760a4ec3b84f7fa' },
    ],
    [
      '3760a4ec3b84f7fa [logterm: 1, index: 3, vote: 0] cast MsgVote for 2943212f5e2cf73 [logterm: 1, index: 3] at term 2',
      { raft: 'cast-vote', member: '3760a4ec3b84f7fa', term: 2, to: '2943212f5e2cf73' },
    ],
    [
      '3760a4ec3b84f7fa [logterm: 2, index: 9, vote: 2943212f5e2cf73] rejected MsgPreVote from bdae9bbc11dd390d [logterm: 2, index: 8] at term 3',
      { raft: 'rejected-prevote', member: '3760a4ec3b84f7fa', term: 3, from: 'bdae9bbc11dd390d' },
    ],
    [
      'bdae9bbc11dd390d [logterm: 2, index: 8] sent MsgVote request to 2943212f5e2cf73 at term 3',
      { raft: 'sent-vote-request', member: 'bdae9bbc11dd390d', term: 3, to: '2943212f5e2cf73' },
    ],
    [
      '3760a4ec3b84f7fa [term: 2] received a MsgVote message with higher term from bdae9bbc11dd390d [term: 3]',
      { raft: 'higher-term', member: '3760a4ec3b84f7fa', term: 3, from: 'bdae9bbc11dd390d', raftMessage: 'MsgVote' },
    ],
    [
      'bdae9bbc11dd390d [term 3] starts to transfer leadership to 3760a4ec3b84f7fa',
      { raft: 'transfer-leadership', member: 'bdae9bbc11dd390d', term: 3, to: '3760a4ec3b84f7fa' },
    ],
    [
      'newRaft 5a492cc498c39e02 [peers: [], term: 7, commit: 18735, applied: 0, lastindex: 18735, lastterm: 7]',
      { raft: 'new-raft', member: '5a492cc498c39e02', term: 7 },
    ],
    // Not raft facts: near misses must add nothing.
    ['63e4b3a007ee9813 switched to configuration voters=(7198075604354111507)', undefined],
    ['63e4b3a007ee9813 became leader at term two', undefined],
    ['raft.node: elected leader at term 2', undefined],
    ['the term is over', undefined],
    ['', undefined],
  ];
  for (const [message, expected] of table) {
    const fields: Record<string, unknown> = {};
    assert.equal(addRaftFacts(message, fields), expected !== undefined, message);
    assert.deepEqual(fields, expected ?? {}, message);
  }
});

test("raft facts never overwrite a key the writer logged itself", () => {
  const fields: Record<string, unknown> = { term: 'from-zap', leader: 'x' };
  addRaftFacts('raft.node: a elected leader b at term 9', fields);
  assert.deepEqual(fields, { term: 'from-zap', leader: 'x', raft: 'elected-leader', member: 'a' });
});

test('Go durations in milliseconds', () => {
  assertEachGives<string, number | undefined>(goDurationMs, [
    ['469.7ms', 469.7],
    ['638.07702ms', 638.07702],
    ['1.5s', 1500],
    ['2m3.5s', 123500],
    ['1h', 3_600_000],
    ['981.518µs', 0.981518],
    ['12us', 0.012],
    ['500ns', 0.0005],
    ['0.000123s', 0.123],
    ['0s', 0],
    ['', undefined],
    ['12', undefined],
    ['abc', undefined],
    ['5ms junk', undefined],
    ['1'.repeat(100) + 's', undefined],
  ]);
});

test('the key of a request, quoted plainly (zap) or escaped (capnslog)', () => {
  assert.equal(requestKey('key:"/registry/pods/default/web" '), '/registry/pods/default/web');
  assert.equal(requestKey('read-only range request "key:\\"/registry/namespaces/default\\" " with result'), '/registry/namespaces/default');
  assert.equal(
    requestKey('header:<ID:1 > txn:<compare:<target:MOD key:"/registry/leases/kube-node-lease/n1" mod_revision:6 > >'),
    '/registry/leases/kube-node-lease/n1',
  );
  assert.equal(requestKey('no key here'), undefined);
  assert.equal(requestKey('key:unquoted'), undefined);
  assert.equal(requestKey('key:""'), undefined);
});

test('objects named by etcd keys', () => {
  const ref = (kind: string, name: string, namespace?: string): ObjectRef => ({
    kind,
    ...(namespace ? { namespace } : {}),
    name,
    via: 'etcd-key',
    key: 'k',
  });
  const table: [string, ObjectRef | undefined][] = [
    ['/registry/pods/default/web', ref('Pod', 'web', 'default')],
    ['/registry/minions/kind-control-plane', ref('Node', 'kind-control-plane')],
    ['/registry/services/specs/default/kubernetes', ref('Service', 'kubernetes', 'default')],
    ['/registry/services/endpoints/kube-system/kube-dns', ref('Endpoints', 'kube-dns', 'kube-system')],
    ['/registry/namespaces/kube-system', ref('Namespace', 'kube-system')],
    ['/registry/clusterrolebindings/system:basic-user', ref('ClusterRoleBinding', 'system:basic-user')],
    ['/registry/deployments/default/web', ref('Deployment', 'web', 'default')],
    ['/registry/controllers/default/rc-1', ref('ReplicationController', 'rc-1', 'default')],
    ['/registry/leases/kube-node-lease/node-1', ref('Lease', 'node-1', 'kube-node-lease')],
    ['/registry/events/default/web.17a5c2d8f1e2b3c4', ref('Event', 'web.17a5c2d8f1e2b3c4', 'default')],
    ['/registry/apiregistration.k8s.io/apiservices/v1.apps', ref('APIService', 'v1.apps')],
    ['/registry/cert-manager.io/certificates/default/web-tls', ref('Certificate', 'web-tls', 'default')],
    // Prefixes (lists), bookkeeping keys and odd shapes name no object.
    ['/registry/pods/default/', undefined],
    ['/registry/pods/', undefined],
    ['/registry/pods/default', undefined],
    ['/registry/minions/a/b', undefined],
    ['/registry/pods/a/b/c', undefined],
    ['/registry/ranges/serviceips', undefined],
    ['/registry/masterleases/172.19.0.7', undefined],
    ['/registry/health', undefined],
    ['/registry/', undefined],
    ['registry/pods/default/web', undefined],
  ];
  for (const [key, expected] of table) assert.deepEqual(refFromRegistryKey(key, 'k'), expected, key);
});

test('registry keys inside text: every object once, range ends skipped', () => {
  const out: ObjectRef[] = [];
  addRegistryRefs(
    'key:"/registry/pods/default/web" range_end:"/registry/pods/default/wec" /registry/pods/default/web {range_begin:/registry/minions/n1; range_end:; }',
    'request',
    out,
  );
  assert.deepEqual(out, [
    { kind: 'Pod', namespace: 'default', name: 'web', via: 'etcd-key', key: 'request' },
    { kind: 'Node', name: 'n1', via: 'etcd-key', key: 'request' },
  ]);
  const escaped: ObjectRef[] = [];
  addRegistryRefs('range request "key:\\"/registry/configmaps/kube-system/coredns\\" " with result', 'message', escaped);
  assert.deepEqual(escaped, [{ kind: 'ConfigMap', namespace: 'kube-system', name: 'coredns', via: 'etcd-key', key: 'message' }]);
});

test('cluster-scoped kinds', () => {
  for (const kind of ['Node', 'Namespace', 'ClusterRole', 'PersistentVolume']) assert.equal(isClusterScopedKind(kind), true, kind);
  for (const kind of ['Pod', 'ReplicaSet', 'Widget', 'constructor']) assert.equal(isClusterScopedKind(kind), false, kind);
});
