import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildPodIpIndex } from '../../../../src/correlate/incidents/pod-ips.js';
import { ingestPaths } from '../../../../src/correlate/eval.js';
import { linkObjects } from '../../../../src/correlate/link.js';
import { SIGNAL_REGISTRY } from '../../../../src/signals/index.js';
import { StoreView } from '../../../../src/store/incident-view.js';
import { computeSignals } from '../../../../src/store/signals.js';
import { openStore } from '../../../../src/store/writer.js';
import { corpus, corpusSkip } from '../../../helpers/paths.js';
import { at, Fixture, type Obj } from './fixture.js';

/** The index over a store whose signals are computed, as detectIncidents does first. */
function indexOf(db: Fixture['db']): ReturnType<typeof buildPodIpIndex> {
  computeSignals(db, SIGNAL_REGISTRY);
  return buildPodIpIndex(new StoreView(db));
}

/** A real capture read, stored and linked as `ktrail ingest` does, and its pod-IP index. */
async function indexOfCapture(paths: string[]): Promise<ReturnType<typeof buildPodIpIndex>> {
  const store = openStore(':memory:');
  await ingestPaths(store, paths);
  linkObjects(store.correlation);
  return indexOf(store.db);
}

function sandbox(f: Fixture, t: number, host: string, pod: Obj): void {
  f.ev({ t, component: 'other', host, message: `RunPodSandbox for &PodSandboxMetadata{Name:${pod.name},Uid:${pod.uid},Namespace:${pod.namespace},Attempt:0,}`, about: [pod] });
  // containerd's reply names the pod too, and must not take an address.
  f.ev({ t: t + 0.1, component: 'other', host, message: `RunPodSandbox for &PodSandboxMetadata{Name:${pod.name},Uid:${pod.uid},Namespace:${pod.namespace},Attempt:0,} returns sandbox id "abc"`, about: [pod] });
}

test('allocation order: each node hands out its range from .2, host-network pods take none, the kubelet CIDR line stands in for the controller', () => {
  const f = new Fixture();
  f.ev({ t: 0, component: 'kube-controller-manager', message: 'Set node PodCIDR', fields: { node: 'w1', podCIDRs: ['10.244.1.0/24'] } });
  f.ev({ t: 0, component: 'kubelet', host: 'w2', message: 'Updating Pod CIDR', fields: { originalPodCIDR: '', newPodCIDR: '10.244.2.0/24' } });
  const etcd = f.pod('kube-system', 'etcd-w1', { uid: 'dd131b44f2cb818f764811cd71cc66de' });
  const proxy = f.pod('kube-system', 'kube-proxy-abcde');
  const a = f.pod('default', 'a');
  const b = f.pod('default', 'b');
  const c = f.pod('default', 'c');
  sandbox(f, 1, 'w1', etcd);
  sandbox(f, 2, 'w1', proxy);
  sandbox(f, 3, 'w1', a);
  sandbox(f, 4, 'w1', b);
  sandbox(f, 5, 'w2', c);
  f.done();
  const index = indexOf(f.db);
  const who = (ip: string, t: number) => {
    const o = index.podAt(ip, at(t));
    return o ? `${o.ref.name}:${o.how}` : undefined;
  };
  assert.equal(who('10.244.1.2', 10), 'a:allocation-order');
  assert.equal(who('10.244.1.3', 10), 'b:allocation-order');
  assert.equal(who('10.244.2.2', 10), 'c:allocation-order');
  assert.equal(who('10.244.1.4', 10), undefined);
  // Before its sandbox existed, an address was nobody's.
  assert.equal(who('10.244.1.3', 3.5), undefined);
});

test('an IP stated by the apiserver or dialled by a probe beats the allocation order; restated later, the later pod has it', () => {
  const f = new Fixture();
  f.ev({ t: 0, component: 'kube-controller-manager', message: 'Set node PodCIDR', fields: { node: 'w1', podCIDRs: ['10.244.1.0/24'] } });
  const a = f.pod('default', 'a');
  const b = f.pod('default', 'b');
  sandbox(f, 1, 'w1', a);
  f.ev({ t: 2, component: 'kubelet', message: 'Probe failed', fields: { probeType: 'Readiness', pod: { name: 'b', namespace: 'default' }, podUID: b.uid, output: 'dial tcp 10.244.1.2:6379: connect: connection refused' }, about: [b] });
  f.ev({
    t: 100,
    component: 'audit',
    message: 'patch pods/status default/a 200',
    fields: { podIPs: ['10.244.1.2'] },
    refs: [{ kind: 'Pod', namespace: 'default', name: 'a', uid: a.uid, via: 'audit', key: 'objectRef' }],
    about: [a],
  });
  f.done();
  const index = indexOf(f.db);
  assert.deepEqual([index.podAt('10.244.1.2', at(50))?.ref.name, index.podAt('10.244.1.2', at(50))?.how], ['b', 'probe']);
  assert.deepEqual([index.podAt('10.244.1.2', at(200))?.ref.name, index.podAt('10.244.1.2', at(200))?.how], ['a', 'audit']);
});

test('kind 1.32 (real): the node\'s range from the controller, its sandboxes in containerd\'s order, static and host-network pods skipped', { skip: corpusSkip() }, async () => {
  // Set node PodCIDR ... podCIDRs=["10.244.0.0/24"]; RunPodSandbox for: the four static pods
  // (32-hex UIDs), kindnet-2bmbv and kube-proxy-5sj54 (host network), then coredns-668d6bf9bc-79t94,
  // coredns-668d6bf9bc-nnbgv and local-path-provisioner-7dc846544d-tv2vd.
  const index = await indexOfCapture([corpus('kind-1.32-bundle')]);
  const late = Date.UTC(2026, 0, 1) * 1000;
  const who = (ip: string): string | undefined => {
    const o = index.podAt(ip, late);
    return o ? `${o.ref.namespace}/${o.ref.name}:${o.how}` : undefined;
  };
  assert.deepEqual(
    ['10.244.0.2', '10.244.0.3', '10.244.0.4', '10.244.0.5'].map(who),
    ['kube-system/coredns-668d6bf9bc-79t94:allocation-order', 'kube-system/coredns-668d6bf9bc-nnbgv:allocation-order', 'local-path-storage/local-path-provisioner-7dc846544d-tv2vd:allocation-order', undefined],
  );
});

test('failure-cases (real): the kubelet\'s "Creating hosts mount" names each pod\'s IP', { skip: corpusSkip() }, async () => {
  const index = await indexOfCapture([corpus('failure-cases', 'C5', 'log', '2023-08-29T23:48:45-kubelet-kind-worker.log.txt')]);
  // Aug 30 04:29:02 kind-worker kubelet[704773]: ... "Creating hosts mount for container" pod="default/nginx-deployment-6dccd8f6b9-m4v2l" containerName="nginx" podIPs=[10.244.2.32] path=true
  const o = index.podAt('10.244.2.32', Date.UTC(2026, 0, 1) * 1000);
  assert.equal(`${o?.ref.namespace}/${o?.ref.name}:${o?.how}`, 'default/nginx-deployment-6dccd8f6b9-m4v2l:field');
  assert.equal(index.size, 27);
});
