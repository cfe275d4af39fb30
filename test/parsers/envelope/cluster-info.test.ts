import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readBlockMarker } from '../../../parsers/envelope/cluster-info.js';
import { clusterInfoEnvelope } from '../../../parsers/envelope/index.js';
import type { EnvelopeRecord } from '../../../parsers/types.js';
import { context, linesConsumed, micros, readAll } from './helpers.js';

/** A hand-written `kubectl cluster-info dump` (the corpus has none), shortened. */
const DUMP = [
  '{',
  '    "kind": "NodeList",',
  '    "apiVersion": "v1",',
  '    "metadata": {',
  '        "resourceVersion": "770"',
  '    },',
  '    "items": []',
  '}',
  '{',
  '    "kind": "PodList",',
  '    "apiVersion": "v1",',
  '    "items": []',
  '}',
  '==== START logs for container coredns of pod kube-system/coredns-6f6b679f8f-rgq7r ====',
  '[INFO] plugin/kubernetes: waiting for Kubernetes API before starting server',
  '.:53',
  '',
  '==== END logs for container coredns of pod kube-system/coredns-6f6b679f8f-rgq7r ====',
  '==== START logs for container etcd of pod kube-system/etcd-minikube ====',
  '2024-11-17T10:19:30.123456789Z {"level":"info","ts":"2024-11-17T10:19:30.123Z","msg":"ready"}',
  '2024-11-17T10:19:31Z {"level":"warn","ts":"2024-11-17T10:19:31.000Z","msg":"slow"}',
  '==== END logs for container etcd of pod kube-system/etcd-minikube ====',
  '==== START logs for container nginx of pod default/web-1 ====',
  'Request log error: the server rejected our request for an unknown reason',
  '==== START logs for container kube-proxy of pod kube-system/kube-proxy-8f5ps ====',
  'I1117 10:19:40.000000       1 server_linux.go:66] "Using iptables proxy"',
];

function brief(r: EnvelopeRecord): unknown[] {
  return [r.kind, r.firstLine, r.text, r.time, r.hints.component, r.hints.pod];
}

test('readBlockMarker', () => {
  assert.deepEqual(readBlockMarker('==== START logs for container coredns of pod kube-system/coredns-6f6b679f8f-rgq7r ===='), {
    end: false,
    container: 'coredns',
    namespace: 'kube-system',
    pod: 'coredns-6f6b679f8f-rgq7r',
  });
  assert.deepEqual(readBlockMarker('==== END logs for container etcd of pod kube-system/etcd-minikube ===='), {
    end: true,
    container: 'etcd',
    namespace: 'kube-system',
    pod: 'etcd-minikube',
  });
  assert.equal(readBlockMarker('==== START logs for container x of pod nonamespace ===='), undefined);
  assert.equal(readBlockMarker('==== START logs for container x of pod a/b'), undefined);
  assert.equal(readBlockMarker('==> etcd [ab] <=='), undefined);
});

test('cluster-info: JSON lists and markers are meta; block lines carry the pod, detected per block', () => {
  const place = { host: 'from-path' };
  const records = readAll(clusterInfoEnvelope, DUMP, context(place));
  const coredns = { namespace: 'kube-system', name: 'coredns-6f6b679f8f-rgq7r', container: 'coredns' };
  const etcd = { namespace: 'kube-system', name: 'etcd-minikube', container: 'etcd' };
  const web = { namespace: 'default', name: 'web-1', container: 'nginx' };
  const proxy = { namespace: 'kube-system', name: 'kube-proxy-8f5ps', container: 'kube-proxy' };
  assert.deepEqual(records.map(brief), [
    ...DUMP.slice(0, 13).map((text, i) => ['meta', i + 1, text, undefined, undefined, undefined]),
    ['meta', 14, DUMP[13], undefined, 'coredns', coredns],
    // a bare block: no time
    ['record', 15, DUMP[14], undefined, 'coredns', coredns],
    ['record', 16, '.:53', undefined, 'coredns', coredns],
    ['record', 17, '', undefined, 'coredns', coredns],
    ['meta', 18, DUMP[17], undefined, undefined, undefined],
    ['meta', 19, DUMP[18], undefined, 'etcd', etcd],
    // a timestamped block (kubectl logs --timestamps)
    ['record', 20, '{"level":"info","ts":"2024-11-17T10:19:30.123Z","msg":"ready"}', micros('2024-11-17T10:19:30.123Z', 456), 'etcd', etcd],
    ['record', 21, '{"level":"warn","ts":"2024-11-17T10:19:31.000Z","msg":"slow"}', micros('2024-11-17T10:19:31Z'), 'etcd', etcd],
    ['meta', 22, DUMP[21], undefined, undefined, undefined],
    // an application container: no component; a START without END closes the block before it
    ['meta', 23, DUMP[22], undefined, undefined, web],
    ['record', 24, DUMP[23], undefined, undefined, web],
    ['meta', 25, DUMP[24], undefined, 'kube-proxy', proxy],
    // the last block, never ended, is flushed by end()
    ['record', 26, DUMP[25], undefined, 'kube-proxy', proxy],
  ]);
  assert.equal(records[14]!.hints.host, 'from-path');
  assert.equal(linesConsumed(records), DUMP.length);
});

test('cluster-info: score', () => {
  assert.equal(clusterInfoEnvelope.score(DUMP.slice(0, 8)), 8);
  assert.equal(clusterInfoEnvelope.score(DUMP.slice(13)), 6); // the six markers
  // `kubectl get events -o json` is an EventList for the document parsers, not a dump
  assert.equal(clusterInfoEnvelope.score(['{', '    "kind": "EventList",', '    "items": []', '}']), 0);
  assert.equal(clusterInfoEnvelope.score(['{', '    "apiVersion": "v1",', '    "kind": "List",', '}']), 0);
});
