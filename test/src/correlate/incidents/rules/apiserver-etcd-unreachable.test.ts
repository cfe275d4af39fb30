/**
 * apiserver-etcd-unreachable: real apiservers dialling etcd before it listens, for a few seconds
 * (minikube, kind 1.32), are no incident; an apiserver cut off from etcd for minutes, written to
 * the etcd v2 client's format (client/client.go ClusterError: the corpus has no such capture), is.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiserverEtcdUnreachableRule } from '../../../../../src/correlate/incidents/rules/apiserver-etcd-unreachable.js';
import { corpus, corpusSkip } from '../../../../helpers/paths.js';
import { detectOnFiles, detectOnLines } from '../fixture.js';

test('start-up dials before etcd listens are no incident', { skip: corpusSkip() }, async () => {
  assert.deepEqual(await detectOnFiles([corpus('minikube-logs'), corpus('kind-1.32-bundle')], apiserverEtcdUnreachableRule), []);
});

test('two minutes of "etcd cluster is unavailable": the endpoint, the span, the error', async () => {
  const lines = Array.from({ length: 13 }, (_, i) => {
    const t = `14:${String(34 + Math.floor((i * 10) / 60)).padStart(2, '0')}:${String((i * 10) % 60).padStart(2, '0')}`;
    return `E0411 ${t}.417452       1 reflector.go:199] k8s.io/kubernetes/pkg/storage/cacher.go:215: Failed to list *api.Pod: client: etcd cluster is unavailable or misconfigured; error #0: dial tcp 127.0.0.1:2379: getsockopt: connection refused`;
  });
  const found = await detectOnLines(lines, 'kube-apiserver.log', apiserverEtcdUnreachableRule);
  assert.equal(found.length, 1);
  assert.equal(found[0]!.summary, 'the apiserver could not reach etcd at 127.0.0.1:2379 for 2 min (13 failures): dial tcp 127.0.0.1:2379: getsockopt: connection refused');
});
