/**
 * etcd-unreachable: real apiservers starting before etcd listens (kind 1.32, minikube: the gRPC
 * client's `addrConn.createTransport failed to connect to {Addr: "127.0.0.1:2379" ...}` for a few
 * seconds), and the etcd v2 client's error written to etcd client/client.go's ClusterError format
 * (the corpus has no apiserver that stays cut off: `grep -rl "etcd cluster is unavailable"` finds
 * nothing). The same gRPC line to another port is not about etcd.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { corpus, corpusSkip } from '../../helpers/paths.js';
import { assertStated, eventsOf, factsOfLines } from '../../helpers/signal-lines.js';

test('minikube: the apiserver dialling etcd before it listens, with the endpoint and the error', { skip: corpusSkip() }, async () => {
  // grep '2379' minikube_logs.txt | grep -c refused: 60, from 10:04:23 to 10:04:28
  const lines = assertStated(await eventsOf([corpus('minikube-logs')]), 'etcd-unreachable', 60, { endpoint: '127.0.0.1:2379', err: 'transport: Error while dialing: dial tcp 127.0.0.1:2379: connect: connection refused' });
  assert.ok(lines.every((s) => s.event.component === 'kube-apiserver'));
});

test('the etcd v2 client: the cluster unavailable, the endpoint and error #0; other ports are not etcd', async () => {
  assert.deepEqual(await factsOfLines(
      [
        'E0411 14:34:52.417452       1 reflector.go:199] k8s.io/kubernetes/pkg/storage/cacher.go:215: Failed to list *api.Pod: client: etcd cluster is unavailable or misconfigured; error #0: dial tcp 127.0.0.1:2379: getsockopt: connection refused',
        'W0811 10:04:23.676120       1 logging.go:55] [core] [Channel #7 SubChannel #8]grpc: addrConn.createTransport failed to connect to {Addr: "10.96.0.1:443", ServerName: "10.96.0.1:443", }. Err: connection error: desc = "transport: Error while dialing: dial tcp 10.96.0.1:443: connect: connection refused"',
      ],
      'etcd-unreachable',
      'kube-apiserver.log',
    ), [{ err: 'dial tcp 127.0.0.1:2379: getsockopt: connection refused', endpoint: '127.0.0.1:2379' }]);
});
