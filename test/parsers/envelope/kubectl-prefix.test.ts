import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kubectlPrefixEnvelope, readKubectlPrefix } from '../../../parsers/envelope/kubectl-prefix.js';
import { assertCounts, context, micros, readAll } from './helpers.js';

test('readKubectlPrefix: pod and container, strict shape', () => {
  assert.deepEqual(readKubectlPrefix('[pod/coredns-6d4b75cb6d-gr6m2/coredns] [INFO] x'), {
    pod: 'coredns-6d4b75cb6d-gr6m2',
    container: 'coredns',
    end: 39,
  });
  assert.deepEqual(readKubectlPrefix('[pod/web-1/nginx]'), { pod: 'web-1', container: 'nginx', end: 18 });
  for (const text of [
    '[INFO] plugin/reload: Running configuration', // CoreDNS's own brackets
    '[pod/onlypod] x',
    '[pod//c] x',
    '[pod/a/b/c] x',
    '[pod/a/b]x',
    '[pod/a b/c] x',
    'pod/a/b x',
  ]) {
    assert.equal(readKubectlPrefix(text), undefined, text);
  }
});

test('kubectl-prefix: pod hint, component from the container, optional --timestamps', () => {
  const place = { host: 'node1', pod: { namespace: 'kube-system', name: 'coredns-6d4b75cb6d-gr6m2', uid: 'u-1' } };
  const lines = [
    '[pod/coredns-6d4b75cb6d-gr6m2/coredns] [INFO] 10.244.0.5:52345 - 12345 "A IN web.default.svc.cluster.local. udp 60 false 512" NOERROR qr,aa,rd 106 0.000123s',
    '[pod/etcd-kind-control-plane/etcd] 2024-08-22T16:18:54.878997123Z {"level":"info","msg":"x"}',
    '[pod/web-7d4b9c/nginx] 10.0.0.1 - - "GET / HTTP/1.1" 200',
    '[pod/kube-proxy-x6z2k/sidecar] hello',
    'Error from server (BadRequest): container "x" in pod "y" is waiting to start',
  ];
  const records = readAll(kubectlPrefixEnvelope, lines, context(place));
  assert.deepEqual(records, [
    {
      kind: 'record',
      text: '[INFO] 10.244.0.5:52345 - 12345 "A IN web.default.svc.cluster.local. udp 60 false 512" NOERROR qr,aa,rd 106 0.000123s',
      hints: {
        host: 'node1',
        // the file's place and the prefix name the same pod: their fields merge
        pod: { namespace: 'kube-system', name: 'coredns-6d4b75cb6d-gr6m2', uid: 'u-1', container: 'coredns' },
        component: 'coredns',
      },
      firstLine: 1,
      lastLine: 1,
      raw: lines[0],
    },
    {
      kind: 'record',
      text: '{"level":"info","msg":"x"}',
      time: micros('2024-08-22T16:18:54.878Z', 997),
      hints: { host: 'node1', pod: { name: 'etcd-kind-control-plane', container: 'etcd' }, component: 'etcd' },
      firstLine: 2,
      lastLine: 2,
      raw: lines[1],
    },
    {
      kind: 'record',
      text: '10.0.0.1 - - "GET / HTTP/1.1" 200',
      hints: { host: 'node1', pod: { name: 'web-7d4b9c', container: 'nginx' } },
      firstLine: 3,
      lastLine: 3,
      raw: lines[2],
    },
    {
      kind: 'record',
      text: 'hello',
      // an unknown container: the pod's name still tells
      hints: { host: 'node1', pod: { name: 'kube-proxy-x6z2k', container: 'sidecar' }, component: 'kube-proxy' },
      firstLine: 4,
      lastLine: 4,
      raw: lines[3],
    },
    { kind: 'record', text: lines[4], hints: place, firstLine: 5, lastLine: 5, raw: lines[4] },
  ]);
});

test('kubectl-prefix: score', () => {
  assertCounts(kubectlPrefixEnvelope, ['[pod/a-1/c] x', '[pod/b-2/d] 2024-08-22T16:18:54Z y'], ['[INFO] coredns', 'plain']);
});
