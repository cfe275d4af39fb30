import { test } from 'node:test';
import assert from 'node:assert/strict';
import { linkObjects } from '../../../src/correlate/link.js';
import { linksWithWrongTime, storeWith } from '../../helpers/store.js';

const dnsPod = { kind: 'Pod', namespace: 'kube-system', name: 'coredns-1', uid: 'dns-uid', via: 'path' as const, key: 'emitter' };

test('CoreDNS clients are the pods their IPs belonged to, and an upstream error takes its query line\'s client', () => {
  const store = storeWith([
    {
      time: 0,
      component: 'audit',
      message: 'patch pods/status default/web-1 200',
      fields: { podIPs: ['10.244.1.5'] },
      objects: [{ kind: 'Pod', namespace: 'default', name: 'web-1', uid: 'web-uid', via: 'audit', key: 'objectRef' }],
    },
    // The IP is given to another pod later: queries after that belong to it.
    {
      time: 600,
      component: 'audit',
      message: 'patch pods/status default/api-1 200',
      fields: { podIPs: ['10.244.1.5'] },
      objects: [{ kind: 'Pod', namespace: 'default', name: 'api-1', uid: 'api-uid', via: 'audit', key: 'objectRef' }],
    },
    {
      time: 10,
      component: 'coredns',
      severity: 'error',
      message: 'plugin/errors: 2 example.org. A: read udp 10.244.0.2:1->8.8.8.8:53: i/o timeout',
      fields: { plugin: 'errors', qname: 'example.org.', qtype: 'A' },
      objects: [dnsPod],
      file: 'coredns.log',
    },
    {
      time: 10.001,
      component: 'coredns',
      message: 'query',
      fields: { client: '10.244.1.5', qname: 'example.org.', qtype: 'A', rcode: 'SERVFAIL' },
      objects: [dnsPod],
      file: 'coredns.log',
    },
    { time: 700, component: 'coredns', message: 'later query', fields: { client: '10.244.1.5', qname: 'x.', qtype: 'A' }, objects: [dnsPod], file: 'coredns.log' },
    { time: 20, component: 'coredns', message: 'unknown client', fields: { client: '10.9.9.9', qname: 'x.', qtype: 'A' }, objects: [dnsPod], file: 'coredns.log' },
  ]);
  linkObjects(store.correlation);
  assert.equal(linksWithWrongTime(store.db), 0, "the DNS links hold their lines' times");
  const rows = store.db
    .prepare(
      `SELECT e.message AS m, o.uid, eo.via FROM event_objects eo JOIN objects o ON o.id = eo.object_id
       JOIN events e ON e.id = eo.event_id WHERE e.component = 'coredns' AND eo.confidence >= 0.5 ORDER BY e.time, o.uid`,
    )
    .all() as { m: string; uid: string; via: string }[];
  assert.deepEqual(
    rows.map((r) => [r.m.slice(0, 14), r.uid, r.via]),
    [
      ['plugin/errors:', 'dns-uid', 'emitter-self'],
      ['plugin/errors:', 'web-uid', 'dns-pair'],
      ['query', 'web-uid', 'pod-ip'],
      ['later query', 'api-uid', 'pod-ip'],
    ],
  );
  store.close();
});

test('CoreDNS lines are read in pages across sources: an error pairs with its own source\'s query line, and lines at one time across a page edge are each linked once', () => {
  const audit = (time: number, ip: string, name: string, uid: string) => ({
    time,
    component: 'audit' as const,
    message: `patch pods/status default/${name} 200`,
    fields: { podIPs: [ip] },
    objects: [{ kind: 'Pod', namespace: 'default', name, uid, via: 'audit' as const, key: 'objectRef' }],
  });
  const dnsB = { ...dnsPod, name: 'coredns-2', uid: 'dns2-uid' };
  const many = Array.from({ length: 10_050 }, (_, i) => ({
    time: 50,
    component: 'coredns' as const,
    message: `bulk ${i}`,
    fields: { client: '10.244.1.6', qname: `n${i}.`, qtype: 'A' },
    objects: [dnsB],
    file: 'coredns-2.log',
  }));
  const store = storeWith([
    audit(0, '10.244.1.5', 'web-1', 'web-uid'),
    audit(0, '10.244.1.6', 'api-1', 'api-uid'),
    // Source A's error, then source B's query for the same name (another CoreDNS: not its reply)...
    { time: 10, component: 'coredns', severity: 'error', message: 'plugin/errors: 2 example.org. A: i/o timeout', fields: { plugin: 'errors', qname: 'example.org.', qtype: 'A' }, objects: [dnsPod], file: 'coredns.log' },
    { time: 10.0005, component: 'coredns', message: 'query from B', fields: { client: '10.244.1.6', qname: 'example.org.', qtype: 'A' }, objects: [dnsB], file: 'coredns-2.log' },
    // ...then source A's own query line: the error's client.
    { time: 10.001, component: 'coredns', message: 'query from A', fields: { client: '10.244.1.5', qname: 'example.org.', qtype: 'A' }, objects: [dnsPod], file: 'coredns.log' },
    ...many,
  ]);
  linkObjects(store.correlation);
  const links = (where: string) =>
    store.db
      .prepare(
        `SELECT e.message AS m, o.uid, eo.via FROM event_objects eo JOIN objects o ON o.id = eo.object_id
         JOIN events e ON e.id = eo.event_id WHERE e.component = 'coredns' AND eo.via IN ('pod-ip', 'dns-pair') AND ${where} ORDER BY e.time, e.id`,
      )
      .all() as { m: string; uid: string; via: string }[];
  assert.deepEqual(
    links("e.message NOT LIKE 'bulk %'").map((r) => [r.m.slice(0, 14), r.uid, r.via]),
    [
      ['plugin/errors:', 'web-uid', 'dns-pair'],
      ['query from B', 'api-uid', 'pod-ip'],
      ['query from A', 'web-uid', 'pod-ip'],
    ],
  );
  const bulk = links("e.message LIKE 'bulk %'");
  assert.equal(bulk.length, 10_050, 'every line at the page edge linked');
  assert.equal(new Set(bulk.map((r) => r.m)).size, 10_050, 'none twice');
  assert.ok(bulk.every((r) => r.uid === 'api-uid' && r.via === 'pod-ip'));
  store.close();
});
