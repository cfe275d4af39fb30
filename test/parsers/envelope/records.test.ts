import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PrefixHints, podHints } from '../../../parsers/envelope/records.js';

test('podHints: the container names the component, failing that the pod; neither: no component', () => {
  assert.deepEqual(podHints('etcd-kind-control-plane', 'etcd'), { pod: { name: 'etcd-kind-control-plane', container: 'etcd' }, component: 'etcd' });
  assert.deepEqual(podHints('kube-proxy-x6z2k', 'sidecar'), { pod: { name: 'kube-proxy-x6z2k', container: 'sidecar' }, component: 'kube-proxy' });
  assert.deepEqual(podHints('web-7d4b9c', 'nginx'), { pod: { name: 'web-7d4b9c', container: 'nginx' } });
});

test('PrefixHints: merged over the place once per key, shared by every record of that prefix', () => {
  const cache = new PrefixHints({ host: 'node1', component: 'other' });
  assert.equal(cache.get('a'), undefined);
  const a = cache.add('a', { component: 'kubelet' });
  assert.deepEqual(a, { host: 'node1', component: 'kubelet' });
  assert.equal(cache.get('a'), a);
});

test('PrefixHints: bounded: ever-new prefixes do not grow it without end, and every answer stays right', () => {
  const cache = new PrefixHints({});
  for (let i = 0; i < 10_000; i++) assert.deepEqual(cache.add(`p${i}`, { identifier: `p${i}` }), { identifier: `p${i}` });
  assert.equal(cache.get('p0'), undefined); // dropped when the cache was cleared
  assert.deepEqual(cache.get('p9999'), { identifier: 'p9999' });
});

test('PrefixHints: a line without the prefix has the place alone', () => {
  const place = { host: 'node1', pod: { name: 'web-0', namespace: 'shop' } };
  assert.deepEqual(new PrefixHints(place).unprefixed, place);
});
