import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectIncidents } from '../../../../../src/correlate/incidents/index.js';
import { dnsNxdomainRule } from '../../../../../src/correlate/incidents/rules/dns-nxdomain.js';
import { dnsUpstreamTimeoutRule } from '../../../../../src/correlate/incidents/rules/dns-upstream-timeout.js';
import { at, detect, detectOnly, evidence, Fixture, incidentObjects, incidents, type Obj } from '../fixture.js';

function query(f: Fixture, t: number, writer: Obj, client: string, qname: string, rcode: string): number {
  return f.ev({
    t,
    component: 'coredns',
    severity: rcode === 'SERVFAIL' ? 'warn' : 'info',
    message: `${client}:40000 - 1 "A IN ${qname} udp 32 false 512" ${rcode} qr,rd 32 0.001s`,
    fields: { client, qtype: 'A', qname, rcode },
    writer,
  });
}

function upstreamError(f: Fixture, t: number, writer: Obj, qname: string): number {
  return f.ev({
    t,
    component: 'coredns',
    severity: 'error',
    message: `plugin/errors: 2 ${qname} A: read udp 10.244.0.2:48557->172.19.0.1:53: i/o timeout`,
    fields: { plugin: 'errors', rcode: 'SERVFAIL', qname, qtype: 'A', error: 'read udp 10.244.0.2:48557->172.19.0.1:53: i/o timeout' },
    writer,
  });
}

function coredns(f: Fixture) {
  const deploy = f.obj('Deployment', 'kube-system', 'coredns');
  const rs = f.obj('ReplicaSet', 'kube-system', 'coredns-668d6bf9bc');
  f.own(deploy, rs);
  return { deploy, a: f.pod('kube-system', 'coredns-668d6bf9bc-aaaaa', { owner: rs }), b: f.pod('kube-system', 'coredns-668d6bf9bc-bbbbb', { owner: rs }) };
}

test('upstream timeouts from both CoreDNS pods are one incident rooted at the Deployment, SERVFAIL answers its effects', () => {
  const f = new Fixture();
  const dns = coredns(f);
  const errors = [0, 3, 6, 9, 12].map((t, i) => upstreamError(f, t, i % 2 ? dns.b : dns.a, 'api.github.com.'));
  const servfail = query(f, 12.1, dns.a, '10.244.1.7', 'api.github.com.', 'SERVFAIL');
  const fine = query(f, 13, dns.a, '10.244.1.7', 'web.default.svc.cluster.local.', 'NOERROR');
  const inc = detectOnly(f, dnsUpstreamTimeoutRule);
  assert.equal(inc!.rootUid, dns.deploy.uid);
  assert.equal(inc!.start, at(0));
  assert.equal(inc!.end, at(12)); // the outage is the timeouts; its answers follow it
  assert.equal(inc!.summary, 'CoreDNS upstream 172.19.0.1:53 not answering: 5 timeouts, 1 SERVFAIL answers for 1 name in 12 s');
  assert.deepEqual([...evidence(f.db, inc!.id)], [...errors.map((id) => [id, 'trigger']), [servfail, 'effect']]);
  assert.ok(!evidence(f.db, inc!.id).has(fine));
  assert.deepEqual(incidentObjects(f.db, inc!.id), ['root:coredns', 'affected:coredns-668d6bf9bc-aaaaa', 'affected:coredns-668d6bf9bc-bbbbb']);
});

test('without a Deployment object the first CoreDNS pod is the root; four timeouts are not an outage', () => {
  const f = new Fixture();
  const pod = f.pod('kube-system', 'coredns-x');
  for (const t of [0, 1, 2, 3]) upstreamError(f, t, pod, 'example.org.');
  for (const t of [100, 101, 102, 103, 104]) upstreamError(f, t, pod, 'example.org.');
  f.done();
  detectIncidents(f.store, { rules: [dnsUpstreamTimeoutRule] });
  assert.deepEqual(incidents(f.db).map((i) => [i.rootUid, i.start]), [[pod.uid, at(100)]]);
});

test('NXDOMAIN for a missing Service is rooted at the asking pod, mapped from its IP by the node CIDR and sandbox order', () => {
  const f = new Fixture();
  const dns = coredns(f);
  const web = f.pod('default', 'web-abc-xyz12', { uid: 'c0ffee00-0000-4000-8000-000000000001' });
  const proxy = f.pod('kube-system', 'kube-proxy-qqqqq', { uid: 'c0ffee00-0000-4000-8000-000000000002' });
  f.ev({ t: -100, component: 'kube-controller-manager', message: 'Set node PodCIDR', fields: { node: 'w2', podCIDRs: ['10.244.2.0/24'] } });
  // kube-proxy runs on the host network: no pod address; web gets the range's first, .2.
  for (const [pod, t] of [[proxy, -90], [web, -80]] as const) {
    f.ev({ t, component: 'other', host: 'w2', message: `RunPodSandbox for &PodSandboxMetadata{Name:${pod.name},Uid:${pod.uid},Namespace:${pod.namespace},Attempt:0,}`, about: [pod] });
  }
  const asks = [0, 10, 20, 30].map((t) => query(f, t, dns.a, '10.244.2.2', 'chekout.shop.svc.cluster.local.', 'NXDOMAIN'));
  // Search-path expansions and external names fail all the time in a healthy cluster.
  for (const t of [0, 10, 20, 30, 40]) {
    query(f, t, dns.a, '10.244.2.2', 'api.github.com.default.svc.cluster.local.', 'NXDOMAIN');
    query(f, t, dns.a, '10.244.2.2', 'api.github.com.svc.cluster.local.', 'NXDOMAIN');
    query(f, t, dns.a, '127.0.0.1', '3687553492369998053.6036854683822453967.', 'NXDOMAIN');
  }
  const inc = detectOnly(f, dnsNxdomainRule);
  assert.equal(inc!.kind, 'dns-nxdomain');
  assert.equal(inc!.severity, 2);
  assert.equal(inc!.rootUid, web.uid);
  assert.equal(inc!.summary, 'chekout.shop.svc.cluster.local. does not exist: 4 NXDOMAIN answers to default/web-abc-xyz12');
  assert.deepEqual([...evidence(f.db, inc!.id)], asks.map((id) => [id, 'trigger']));
  assert.deepEqual(inc!.details.notes['clients'], [{ ip: '10.244.2.2', pod: 'default/web-abc-xyz12', mappedBy: 'allocation-order' }]);
});

test('a probe that dialled the pod maps its IP directly; an unknown IP leaves the Service asked for as root', () => {
  const f = new Fixture();
  const dns = coredns(f);
  const cache = f.pod('shop', 'cache-1');
  f.obj('Service', 'shop', 'cach', { uid: null });
  f.ev({ t: -5, component: 'kubelet', message: 'Probe failed', fields: { probeType: 'Readiness', pod: 'shop/cache-1', podUID: cache.uid, output: 'dial tcp 10.244.4.8:6379: connect: connection refused' }, about: [cache] });
  for (const t of [0, 15, 30, 45]) query(f, t, dns.a, '10.244.4.8', 'cach.shop.svc.cluster.local.', 'NXDOMAIN');
  for (const t of [0, 15, 30, 45]) query(f, t, dns.a, '10.9.9.9', 'cach.shop.svc.cluster.local.', 'NXDOMAIN');
  const [inc] = detect(f, dnsNxdomainRule);
  assert.equal(inc!.rootUid, cache.uid);
  assert.deepEqual(inc!.details.notes['clients'], [
    { ip: '10.244.4.8', pod: 'shop/cache-1', mappedBy: 'probe' },
    { ip: '10.9.9.9', pod: null, mappedBy: null },
  ]);
  // Only the unknown client asking: the Service named is the root.
  const g = new Fixture();
  const dns2 = coredns(g);
  g.obj('Service', 'shop', 'cach', { uid: null });
  for (const t of [0, 15, 30, 45]) query(g, t, dns2.a, '10.9.9.9', 'cach.shop.svc.cluster.local.', 'NXDOMAIN');
  g.done();
  detectIncidents(g.store, { rules: [dnsNxdomainRule] });
  assert.deepEqual(incidents(g.db).map((i) => [i.rootName, i.details.root.kind]), [['cach', 'Service']]);
});

test("the pod the linker tied the query to wins; else the IP the apiserver recorded in the pod's status", () => {
  const f = new Fixture();
  const dns = coredns(f);
  const linked = f.pod('default', 'linked-1');
  const audited = f.pod('default', 'audited-1');
  f.ev({
    t: -10,
    component: 'audit',
    message: 'patch pods/status default/audited-1 200',
    fields: { verb: 'patch', podIPs: ['10.244.3.9'] },
    refs: [{ kind: 'Pod', namespace: 'default', name: 'audited-1', uid: audited.uid, via: 'audit', key: 'objectRef' }],
    about: [audited],
  });
  for (const t of [0, 15, 30, 45]) {
    f.ev({
      t,
      component: 'coredns',
      message: `10.244.3.3:1 - 1 "A IN gone.shop.svc.cluster.local. udp 32 false 512" NXDOMAIN qr,aa,rd 32 0.001s`,
      fields: { client: '10.244.3.3', qname: 'gone.shop.svc.cluster.local.', rcode: 'NXDOMAIN' },
      about: [{ obj: linked, via: 'pod-ip', confidence: 0.85 }],
      writer: dns.a,
    });
    query(f, t + 1, dns.a, '10.244.3.9', 'gone.shop.svc.cluster.local.', 'NXDOMAIN');
  }
  const [inc] = detect(f, dnsNxdomainRule);
  assert.equal(inc!.rootUid, linked.uid);
  assert.deepEqual(inc!.details.notes['clients'], [
    { ip: '10.244.3.3', pod: 'default/linked-1', mappedBy: 'linked' },
    { ip: '10.244.3.9', pod: 'default/audited-1', mappedBy: 'audit' },
  ]);
  assert.deepEqual(incidentObjects(f.db, inc!.id), ['root:linked-1', 'affected:audited-1']);
});

test('a name missing for under 30 s (a Service created a moment later) is not an incident', () => {
  const f = new Fixture();
  const dns = coredns(f);
  for (const t of [0, 5, 10, 15, 20, 25]) query(f, t, dns.a, '10.244.1.3', 'db.shop.svc.cluster.local.', 'NXDOMAIN');
  query(f, 28, dns.a, '10.244.1.3', 'db.shop.svc.cluster.local.', 'NOERROR');
  f.done();
  assert.deepEqual(detectIncidents(f.store, { rules: [dnsNxdomainRule] }).byKind, {});
});
