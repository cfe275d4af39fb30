import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { PayloadResult } from '../../../parsers/types.js';
import { corednsParser, dnsNameFacts } from '../../../parsers/payload/coredns.js';
import type { ObjectRef } from '../../../src/model/event.js';
import { corpus, corpusSkip } from '../../helpers/paths.js';
import { parseHostile, tableTests } from './helpers.js';

function result(partial: Partial<PayloadResult> & Pick<PayloadResult, 'message' | 'fields'>): PayloadResult {
  return { format: 'coredns', severity: 'info', objects: [], component: 'coredns', ...partial };
}

const table: [string, PayloadResult][] = [
  [
    '[INFO] 10.244.0.5:52345 - 12345 "A IN web.default.svc.cluster.local. udp 60 false 512" NOERROR qr,aa,rd 106 0.000123s',
    result({
      message: '10.244.0.5:52345 - 12345 "A IN web.default.svc.cluster.local. udp 60 false 512" NOERROR qr,aa,rd 106 0.000123s',
      fields: {
        client: '10.244.0.5',
        port: 52345,
        id: 12345,
        qtype: 'A',
        qclass: 'IN',
        qname: 'web.default.svc.cluster.local.',
        proto: 'udp',
        size: 60,
        do: false,
        bufsize: 512,
        rcode: 'NOERROR',
        flags: 'qr,aa,rd',
        rsize: 106,
        durationMs: 0.123,
      },
      objects: [{ kind: 'Service', namespace: 'default', name: 'web', via: 'dns', key: 'qname' }],
    }),
  ],
  [
    // 2018: no [INFO], an Apache-style time after the dash: the only CoreDNS line with a time.
    '172.17.0.1:52646 - [07/Sep/2018:15:29:11 +0000] 59925 "AAAA IN kubernetes.default.svc.cluster.local. tcp 54 true 4096" NXDOMAIN qr,aa,rd,ra 147 0.000228s',
    result({
      time: Date.UTC(2018, 8, 7, 15, 29, 11) * 1000,
      hasZone: true,
      message:
        '172.17.0.1:52646 - [07/Sep/2018:15:29:11 +0000] 59925 "AAAA IN kubernetes.default.svc.cluster.local. tcp 54 true 4096" NXDOMAIN qr,aa,rd,ra 147 0.000228s',
      fields: {
        client: '172.17.0.1',
        port: 52646,
        id: 59925,
        qtype: 'AAAA',
        qclass: 'IN',
        qname: 'kubernetes.default.svc.cluster.local.',
        proto: 'tcp',
        size: 54,
        do: true,
        bufsize: 4096,
        rcode: 'NXDOMAIN',
        flags: 'qr,aa,rd,ra',
        rsize: 147,
        durationMs: 0.228,
      },
      // NXDOMAIN: the server says no such name exists, so the line names no Service.
      objects: [],
    }),
  ],
  [
    // A pod name (dashed IP) gives the pod's IP, not an object; an IPv6 client; SERVFAIL is a warning.
    '[INFO] [fd00::5]:41000 - 7 "A IN 10-244-1-7.kube-system.pod.cluster.local. udp 57 false 1232" SERVFAIL qr,rd 57 1.5s',
    result({
      severity: 'warn',
      message: '[fd00::5]:41000 - 7 "A IN 10-244-1-7.kube-system.pod.cluster.local. udp 57 false 1232" SERVFAIL qr,rd 57 1.5s',
      fields: {
        client: 'fd00::5',
        port: 41000,
        id: 7,
        qtype: 'A',
        qclass: 'IN',
        qname: '10-244-1-7.kube-system.pod.cluster.local.',
        proto: 'udp',
        size: 57,
        do: false,
        bufsize: 1232,
        rcode: 'SERVFAIL',
        flags: 'qr,rd',
        rsize: 57,
        durationMs: 1500,
        podIP: '10.244.1.7',
      },
    }),
  ],
  [
    // SRV name of a headless service's pod; CoreDNS 1.8.4 wrote "-" for an unwritten response.
    '[INFO] 10.244.0.9:40000 - 3 "SRV IN _http._tcp.web-0.web.shop.svc.cluster.local. udp 70 false 512" NOERROR - 0 6.010923182s',
    result({
      message: '10.244.0.9:40000 - 3 "SRV IN _http._tcp.web-0.web.shop.svc.cluster.local. udp 70 false 512" NOERROR - 0 6.010923182s',
      fields: {
        client: '10.244.0.9',
        port: 40000,
        id: 3,
        qtype: 'SRV',
        qclass: 'IN',
        qname: '_http._tcp.web-0.web.shop.svc.cluster.local.',
        proto: 'udp',
        size: 70,
        do: false,
        bufsize: 512,
        rcode: 'NOERROR',
        flags: '-',
        rsize: 0,
        durationMs: 6010.923182,
      },
      objects: [{ kind: 'Service', namespace: 'shop', name: 'web', via: 'dns', key: 'qname' }],
    }),
  ],
  [
    // A search-path expansion of "kube-dns.kube-system" is no service: NXDOMAIN, no object.
    '[INFO] 10.244.1.3:33509 - 51831 "A IN kube-dns.kube-system.default.svc.cluster.local. udp 64 false 512" NXDOMAIN qr,aa,rd 157 0.0002208s',
    result({
      message: '10.244.1.3:33509 - 51831 "A IN kube-dns.kube-system.default.svc.cluster.local. udp 64 false 512" NXDOMAIN qr,aa,rd 157 0.0002208s',
      fields: {
        client: '10.244.1.3',
        port: 33509,
        id: 51831,
        qtype: 'A',
        qclass: 'IN',
        qname: 'kube-dns.kube-system.default.svc.cluster.local.',
        proto: 'udp',
        size: 64,
        do: false,
        bufsize: 512,
        rcode: 'NXDOMAIN',
        flags: 'qr,aa,rd',
        rsize: 157,
        durationMs: 0.2208,
      },
    }),
  ],
  [
    // 2017: no port, no id, no flags, a Go duration.
    '10.2.6.75 - [06/Feb/2017:21:18:44 +0000] "MX IN example.org. udp 54 false 512" NOERROR 107 269.595µs',
    result({
      time: Date.UTC(2017, 1, 6, 21, 18, 44) * 1000,
      hasZone: true,
      message: '10.2.6.75 - [06/Feb/2017:21:18:44 +0000] "MX IN example.org. udp 54 false 512" NOERROR 107 269.595µs',
      fields: {
        client: '10.2.6.75',
        qtype: 'MX',
        qclass: 'IN',
        qname: 'example.org.',
        proto: 'udp',
        size: 54,
        do: false,
        bufsize: 512,
        rcode: 'NOERROR',
        rsize: 107,
        durationMs: 0.269595,
      },
    }),
  ],
  [
    // 2019: CoreDNS printed its own RFC3339 time before [INFO].
    '2019-07-19T08:24:57.565Z [INFO] 10.244.1.3:40090 - 54837 "A IN kubernetes.default.svc.cluster.local. udp 54 false 512" NOERROR qr,aa,rd 106 0.0000988s',
    result({
      time: Date.UTC(2019, 6, 19, 8, 24, 57) * 1000 + 565000,
      hasZone: true,
      message: '10.244.1.3:40090 - 54837 "A IN kubernetes.default.svc.cluster.local. udp 54 false 512" NOERROR qr,aa,rd 106 0.0000988s',
      fields: {
        client: '10.244.1.3',
        port: 40090,
        id: 54837,
        qtype: 'A',
        qclass: 'IN',
        qname: 'kubernetes.default.svc.cluster.local.',
        proto: 'udp',
        size: 54,
        do: false,
        bufsize: 512,
        rcode: 'NOERROR',
        flags: 'qr,aa,rd',
        rsize: 106,
        durationMs: 0.0988,
      },
      objects: [{ kind: 'Service', namespace: 'default', name: 'kubernetes', via: 'dns', key: 'qname' }],
    }),
  ],
  [
    '[ERROR] plugin/errors: 2 example.org. A: read udp 10.200.0.5:48557->172.23.83.11:53: i/o timeout',
    result({
      severity: 'error',
      message: 'plugin/errors: 2 example.org. A: read udp 10.200.0.5:48557->172.23.83.11:53: i/o timeout',
      fields: {
        plugin: 'errors',
        rcode: 'SERVFAIL',
        qname: 'example.org.',
        qtype: 'A',
        error: 'read udp 10.200.0.5:48557->172.23.83.11:53: i/o timeout',
      },
    }),
  ],
  [
    '[ERROR] plugin/errors: 2 db.shop.svc.cluster.local. AAAA: dial tcp 10.96.0.1:443: connect: connection refused',
    result({
      severity: 'error',
      message: 'plugin/errors: 2 db.shop.svc.cluster.local. AAAA: dial tcp 10.96.0.1:443: connect: connection refused',
      fields: {
        plugin: 'errors',
        rcode: 'SERVFAIL',
        qname: 'db.shop.svc.cluster.local.',
        qtype: 'AAAA',
        error: 'dial tcp 10.96.0.1:443: connect: connection refused',
      },
      objects: [{ kind: 'Service', namespace: 'shop', name: 'db', via: 'dns', key: 'qname' }],
    }),
  ],
  [
    '[INFO] plugin/reload: Running configuration SHA512 = 1b226df79860026c6a52e67daa10d7f0d57ec5b023288ec00c5e05f93523c894',
    result({
      message: 'plugin/reload: Running configuration SHA512 = 1b226df79860026c6a52e67daa10d7f0d57ec5b023288ec00c5e05f93523c894',
      fields: { plugin: 'reload' },
    }),
  ],
  [
    '[WARNING] plugin/kubernetes: starting server with unsynced Kubernetes API',
    result({ severity: 'warn', message: 'plugin/kubernetes: starting server with unsynced Kubernetes API', fields: { plugin: 'kubernetes' } }),
  ],
  ['[INFO] SIGTERM: Shutting down servers then terminating', result({ message: 'SIGTERM: Shutting down servers then terminating', fields: {} })],
  ['.:53', result({ message: '.:53', fields: { zone: '.', port: 53 } })],
  ['cluster.local.:53', result({ message: 'cluster.local.:53', fields: { zone: 'cluster.local.', port: 53 } })],
  ['dns://.:1053', result({ message: 'dns://.:1053', fields: { scheme: 'dns', zone: '.', port: 1053 } })],
  ['CoreDNS-1.11.1', result({ message: 'CoreDNS-1.11.1', fields: { version: '1.11.1' } })],
  [
    'linux/amd64, go1.20, ae2bbc2',
    result({ message: 'linux/amd64, go1.20, ae2bbc2', fields: { os: 'linux', arch: 'amd64', goVersion: 'go1.20', commit: 'ae2bbc2' } }),
  ],
  ['darwin/amd64, go1.16, ', result({ message: 'darwin/amd64, go1.16, ', fields: { os: 'darwin', arch: 'amd64', goVersion: 'go1.16' } })],
  ['maxprocs: Leaving GOMAXPROCS=4: CPU quota undefined', result({ message: 'maxprocs: Leaving GOMAXPROCS=4: CPU quota undefined', fields: {} })],
  [
    // Go's log time before a 2017 plugin line.
    '2017/02/06 21:17:17 [INFO] CoreDNS-004',
    result({ time: Date.UTC(2017, 1, 6, 21, 17, 17) * 1000, hasZone: false, message: 'CoreDNS-004', fields: { version: '004' } }),
  ],
];

tableTests(
  corednsParser,
  { name: 'CoreDNS lines give these exact results', table },
  {
    name: 'not CoreDNS: etcd, klog, logfmt and near misses',
    lines: [
      "[WARNING] Deprecated '--logger=capnslog' flag is set; use '--logger=zap' flag instead",
      '[NOTICE] something',
      'I0321 14:51:46.481339       1 main.go:1] x',
      'time="2025-03-21T14:51:17Z" level=info msg="x"',
      '10.0.0.1 - - [07/Sep/2018:15:29:11 +0000] "GET / HTTP/1.1" 200 612', // an nginx access line
      'CoreDNS is great',
      'maxprocs',
      '.:abc',
      '',
    ],
  },
);

test('hostile query lines never throw', () => {
  const lines = [
    '[INFO] ' + '1'.repeat(100_000),
    '[INFO] 1.2.3.4:5 - 6 "A IN ' + 'a.'.repeat(50_000) + ' udp 1 false 1" NOERROR qr 1 0.1s',
    '[INFO] 1.2.3.4:5 - 6 "A IN svc.svc.svc.svc. udp 1 false 1" NOERROR qr 1 0.1s',
    '1.2.3.4:5 - [99/Foo/2018:99:99:99 +0000] 6 "A IN x. udp 1 false 1" NOERROR qr 1 0.1s',
  ];
  assert.equal(parseHostile(corednsParser, lines)[3]?.time, undefined);
});

/** Payloads of the CoreDNS lines of a CRI container log. */
function criPayloads(path: string): string[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.replace(/^\S+ (?:stdout|stderr) [PF] /, ''));
}

test('every line of the CoreDNS query-log capture is CoreDNS, with no time of its own', { skip: corpusSkip() }, () => {
  const lines = readFileSync(corpus('coredns-querylog/coredns.log'), 'utf8').split('\n').filter((l) => l !== '');
  assert.equal(lines.length, 2564);
  const unmatched = lines.filter((l) => !corednsParser.matches(l));
  assert.deepEqual(unmatched, []);
  const results = lines.map((l) => corednsParser.parse([l], {}));
  const queries = results.filter((r) => r.fields['qname'] !== undefined);
  assert.equal(queries.length, 2559);
  assert.ok(results.every((r) => r.time === undefined && r.component === 'coredns'));
  assert.ok(queries.every((r) => typeof r.fields['durationMs'] === 'number' && typeof r.fields['rsize'] === 'number'));
  const rcodes: Record<string, number> = {};
  for (const q of queries) rcodes[q.fields['rcode'] as string] = (rcodes[q.fields['rcode'] as string] ?? 0) + 1;
  assert.deepEqual(rcodes, { NOERROR: 2556, NXDOMAIN: 3 });
  assert.deepEqual(results[3]!.fields, { os: 'linux', arch: 'arm64', goVersion: 'go1.26.1', commit: 'dd1df4f' });
});

test('the kind bundle and minikube CoreDNS logs parse completely', { skip: corpusSkip() }, () => {
  const kind = [
    'kind-1.32-bundle/kind-control-plane/containers/coredns-668d6bf9bc-79t94_kube-system_coredns-346a3fe8654198457be88cc51cf29ba9a35f40b2a10cb67fdabee38bf0772dd6.log',
    'kind-1.32-bundle/kind-control-plane/containers/coredns-668d6bf9bc-nnbgv_kube-system_coredns-bd7aad9159fb582b599a8cd3c2362740ea0a08fb702398c24c65912ece30f8e5.log',
  ].flatMap((p) => criPayloads(corpus(p)));
  assert.equal(kind.length, 8);
  assert.deepEqual(kind.filter((l) => !corednsParser.matches(l)), []);
  assert.deepEqual(
    kind.slice(0, 4).map((l) => corednsParser.parse([l], {}).fields),
    [{ zone: '.', port: 53 }, { plugin: 'reload' }, { version: '1.11.3' }, { os: 'linux', arch: 'amd64', goVersion: 'go1.21.11', commit: 'a6338e9' }],
  );

  let section = '';
  const minikube: string[] = [];
  for (const l of readFileSync(corpus('minikube-logs/minikube_logs.txt'), 'utf8').split('\n')) {
    if (l.startsWith('==> ')) section = l;
    else if (section.startsWith('==> coredns [') && l !== '') minikube.push(l);
  }
  assert.equal(minikube.length, 59);
  assert.deepEqual(minikube.filter((l) => !corednsParser.matches(l)), []);
  const severities = minikube.map((l) => corednsParser.parse([l], {}).severity);
  assert.equal(severities.filter((s) => s === 'error').length, 10);
  assert.equal(severities.filter((s) => s === 'warn').length, 1);
});

/** The split-based reading dnsNameFacts replaced: the same facts for every name. */
function factsBySplit(qname: string, rcode: string | undefined): { fields: Record<string, unknown>; objects: ObjectRef[] } {
  const fields: Record<string, unknown> = {};
  const objects: ObjectRef[] = [];
  const lower = qname.toLowerCase();
  if (!lower.includes('.svc.') && !lower.includes('.pod.')) return { fields, objects };
  const labels = lower.split('.');
  if (labels.length > 64) return { fields, objects };
  let first = 0;
  while (first < labels.length && labels[first]!.startsWith('_')) first++;
  for (let i = first + 2; i < labels.length - 2; i++) {
    const label = labels[i];
    if (label !== 'svc' && label !== 'pod') continue;
    if (i > first + 3) break;
    const ns = labels[i - 1]!;
    if (label === 'svc') {
      if ((i === first + 3 && rcode !== 'NOERROR') || rcode === 'NXDOMAIN') break;
      const name = labels[i - 2]!;
      if (ns && name) objects.push({ kind: 'Service', namespace: ns, name, via: 'dns', key: 'qname' });
    } else if (i === first + 2) {
      // podIpFromLabel's rules, checked through the parser's own answer below.
      fields['podLabel'] = labels[first];
    }
    break;
  }
  return { fields, objects };
}

test('dnsNameFacts finds the labels as splitting the name did', () => {
  const names = [
    'web.default.svc.cluster.local.',
    'WEB.Default.SVC.cluster.local.',
    'host.web.default.svc.cluster.local.',
    'a.b.c.web.default.svc.cluster.local.',
    '_http._tcp.web.default.svc.cluster.local.',
    '_http._tcp.host.web.default.svc.cluster.local.',
    '_.web.default.svc.cluster.local.',
    '10-244-1-5.default.pod.cluster.local.',
    'fd00--5.default.pod.cluster.local.',
    'x.pod.cluster.local.',
    '.svc.cluster.local.',
    'a..svc.cluster.local.',
    '..default.svc.cluster.local.',
    'web.default.svc.',
    'web.default.svc.x',
    'web.svc.svc.svc.svc.',
    'api.stripe.com.shop.svc.cluster.local.',
    'kube-dns.kube-system.default.svc.cluster.local.',
    `${'a.'.repeat(62)}svc.cluster.local.`,
    `${'a.'.repeat(63)}svc.cluster.local.`,
    `web.default.svc.${'a.'.repeat(59)}`,
    `web.default.svc.${'a.'.repeat(60)}`,
    `web.default.svc.${'a.'.repeat(61)}`,
  ];
  for (const name of names) {
    for (const rcode of ['NOERROR', 'NXDOMAIN', 'SERVFAIL', undefined]) {
      const fields: Record<string, unknown> = {};
      const objects: ObjectRef[] = [];
      dnsNameFacts(name, rcode, fields, objects);
      const want = factsBySplit(name, rcode);
      assert.deepEqual(objects, want.objects, `${name} ${rcode}`);
      // A pod label was read exactly when the split found one (its IP only when it looks like one).
      if (fields['podIP'] !== undefined) assert.ok(want.fields['podLabel'] !== undefined, name);
      if (want.fields['podLabel'] === '10-244-1-5') assert.equal(fields['podIP'], '10.244.1.5', name);
      if (want.fields['podLabel'] === 'fd00--5') assert.equal(fields['podIP'], 'fd00::5', name);
    }
  }
});
