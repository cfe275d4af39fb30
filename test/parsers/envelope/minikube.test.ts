import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readMinikubeHeader } from '../../../parsers/envelope/minikube.js';
import { minikubeEnvelope } from '../../../parsers/envelope/index.js';
import type { EnvelopeRecord } from '../../../parsers/types.js';
import { corpus, corpusSkip } from '../../helpers/paths.js';
import { context, fileLines, linesConsumed, micros, readAll, sampleOf } from './helpers.js';

/** kind, line, text, time, component, identifier, host, pid: enough to pin a record down. */
function brief(r: EnvelopeRecord): unknown[] {
  return [
    r.kind,
    r.firstLine,
    r.text,
    r.time === undefined ? undefined : new Date(r.time / 1000).toISOString(),
    r.hints.component,
    r.hints.identifier,
    r.hints.host,
    r.hints.pid,
  ];
}

test('readMinikubeHeader', () => {
  assert.deepEqual(readMinikubeHeader('==> etcd [b31e1775defe] <=='), { name: 'etcd', id: 'b31e1775defe' });
  assert.deepEqual(readMinikubeHeader('==> Last Start <=='), { name: 'Last Start' });
  assert.deepEqual(readMinikubeHeader('==> container status <=='), { name: 'container status' });
  assert.deepEqual(readMinikubeHeader('==> odd [not-hex] <=='), { name: 'odd [not-hex]' });
  assert.equal(readMinikubeHeader('==>  <=='), undefined);
  assert.equal(readMinikubeHeader('==> etcd'), undefined);
  assert.equal(readMinikubeHeader('<== etcd ==>'), undefined);
});

test('minikube: sections, reports set aside, nested envelopes detected per section', () => {
  const lines = [
    '==> Audit <==',
    '|---------|------------------|---------------------|',
    '| start   | --driver=docker  | 11 Aug 25 09:39 UTC |',
    '',
    '==> Last Start <==',
    'Log file created at: 2025/08/11 10:05:04',
    'Running on machine: ip-172-31-6-21',
    'Binary: Built with gc go1.24.0 for linux/amd64',
    'Log line format: [IWEF]mmdd hh:mm:ss.uuuuuu threadid file:line] msg',
    'I0811 10:05:04.504496   34556 out.go:345] Setting OutFile to fd 1 ...',
    '',
    '==> Docker <==',
    'Aug 11 10:04:29 minikube dockerd[10415]: time="2025-08-11T10:04:29.765101945Z" level=info msg="Daemon shutdown complete"',
    'Aug 11 10:04:29 minikube systemd[1]: docker.service: Deactivated successfully.',
    '',
    '==> container status <==',
    'CONTAINER           IMAGE               CREATED',
    '==> etcd [b31e1775defe] <==',
    '{"level":"info","ts":"2025-08-11T09:58:38.013096Z","caller":"etcdmain/etcd.go:116","msg":"x"}',
    '==> kubelet <==',
    'Aug 11 10:09:12 minikube kubelet[2171]: E0811 10:09:12.696479    2171 cri_stats_provider.go:731] "Unable"',
    '==> kube-proxy [3655b84d122e] <==',
    '2025-08-11T10:04:38.011800Z I0811 10:04:38.011715       1 server_linux.go:63] "Using iptables proxy"',
    '==> kernel <==',
    ' 10:10:18 up 42 min,  0 users,  load average: 0.46, 0.55, 0.53',
    '==> dmesg <==',
    '[  +0.008550] MDS CPU bug present and SMT on',
  ];
  // The file's mtime says 2030: the year comes from minikube's own dates instead.
  const records = readAll(minikubeEnvelope, lines, context({ host: 'laptop' }, micros('2030-01-01T00:00:00Z')));
  assert.deepEqual(records.map(brief), [
    ['meta', 1, lines[0], undefined, 'other', 'Audit', 'laptop', undefined],
    ['meta', 2, lines[1], undefined, 'other', 'Audit', 'laptop', undefined],
    ['meta', 3, lines[2], undefined, 'other', 'Audit', 'laptop', undefined],
    ['meta', 4, '', undefined, 'other', 'Audit', 'laptop', undefined],
    ['meta', 5, lines[4], undefined, 'other', 'Last Start', 'laptop', undefined],
    ['meta', 6, lines[5], undefined, 'other', 'Last Start', 'laptop', undefined],
    ['meta', 7, lines[6], undefined, 'other', 'Last Start', 'laptop', undefined],
    ['meta', 8, lines[7], undefined, 'other', 'Last Start', 'laptop', undefined],
    ['meta', 9, lines[8], undefined, 'other', 'Last Start', 'laptop', undefined],
    ['record', 10, lines[9], undefined, 'other', 'Last Start', 'laptop', undefined],
    ['record', 11, '', undefined, 'other', 'Last Start', 'laptop', undefined],
    ['meta', 12, lines[11], undefined, 'other', 'Docker', 'laptop', undefined],
    // journald inside the section: its own identifier, host and pid
    ['record', 13, 'time="2025-08-11T10:04:29.765101945Z" level=info msg="Daemon shutdown complete"', '2025-08-11T10:04:29.000Z', 'other', 'dockerd', 'minikube', 10415],
    ['record', 14, 'docker.service: Deactivated successfully.', '2025-08-11T10:04:29.000Z', 'other', 'systemd', 'minikube', 1],
    ['record', 15, '', undefined, 'other', 'Docker', 'laptop', undefined],
    ['meta', 16, lines[15], undefined, 'other', 'container status', 'laptop', undefined],
    ['meta', 17, lines[16], undefined, 'other', 'container status', 'laptop', undefined],
    ['meta', 18, lines[17], undefined, 'etcd', 'etcd', 'laptop', undefined],
    ['record', 19, lines[18], undefined, 'etcd', 'etcd', 'laptop', undefined],
    ['meta', 20, lines[19], undefined, 'kubelet', 'kubelet', 'laptop', undefined],
    ['record', 21, 'E0811 10:09:12.696479    2171 cri_stats_provider.go:731] "Unable"', '2025-08-11T10:09:12.000Z', 'kubelet', 'kubelet', 'minikube', 2171],
    ['meta', 22, lines[21], undefined, 'kube-proxy', 'kube-proxy', 'laptop', undefined],
    // a timestamped container section
    ['record', 23, 'I0811 10:04:38.011715       1 server_linux.go:63] "Using iptables proxy"', '2025-08-11T10:04:38.011Z', 'kube-proxy', 'kube-proxy', 'laptop', undefined],
    ['meta', 24, lines[23], undefined, 'other', 'kernel', 'laptop', undefined],
    ['meta', 25, lines[24], undefined, 'other', 'kernel', 'laptop', undefined],
    ['meta', 26, lines[25], undefined, 'other', 'dmesg', 'laptop', undefined],
    ['record', 27, lines[26], undefined, 'other', 'dmesg', 'laptop', undefined],
  ]);
  assert.equal(records[20]!.timeYearInferred, true);
  assert.equal(linesConsumed(records), lines.length);
});

test('minikube: lines before the first header are read like a section of their own', () => {
  const records = readAll(minikubeEnvelope, ['E0811 10:05:04.5 1 out.go:1] warning first', '==> etcd [ab] <==', 'x']);
  assert.deepEqual(
    records.map((r) => [r.kind, r.firstLine, r.hints.component]),
    [
      ['record', 1, undefined],
      ['meta', 2, 'etcd'],
      ['record', 3, 'etcd'],
    ],
  );
});

test('minikube: score', () => {
  assert.equal(minikubeEnvelope.score(['==> Audit <==', '| a | b |', '| c | d |']), 3);
  assert.equal(minikubeEnvelope.score(['I0811 x', '==> etcd [ab] <==', 'y']), 1);
  assert.equal(minikubeEnvelope.score(['I0811 x', 'y']), 0);
});

test('minikube: the real capture, section by section', { skip: corpusSkip() }, () => {
  const lines = fileLines(corpus('minikube-logs', 'minikube_logs.txt'));
  assert.equal(minikubeEnvelope.score(sampleOf(lines)), 50);
  const records = readAll(minikubeEnvelope, lines, context({}, micros('2030-01-01T00:00:00Z')));
  assert.equal(linesConsumed(records), lines.length);

  const bySection = new Map<string, { meta: number; records: number; timed: number; identifiers: Set<string> }>();
  let section = '(before)';
  for (const r of records) {
    if (r.kind === 'meta' && r.text.startsWith('==> ')) section = r.text;
    const s = bySection.get(section) ?? { meta: 0, records: 0, timed: 0, identifiers: new Set<string>() };
    if (r.kind === 'meta') s.meta++;
    else {
      s.records++;
      if (r.time !== undefined) s.timed++;
      if (r.hints.identifier) s.identifiers.add(r.hints.identifier);
    }
    bySection.set(section, s);
  }
  const summary = Object.fromEntries(
    [...bySection].map(([name, s]) => [name, [s.meta, s.records, s.timed, [...s.identifiers].sort().join(',')]]),
  );
  assert.deepEqual(summary, {
    '(before)': [0, 1, 0, ''],
    '==> Audit <==': [39, 0, 0, ''],
    // the klog file header is meta; 24 minikube CLI lines and two blank lines
    '==> Last Start <==': [5, 26, 0, 'Last Start'],
    // journald short: 60 lines, all timed; the two trailing blank lines keep the section's identifier
    '==> Docker <==': [1, 62, 60, 'Docker,cri-dockerd,dockerd,systemd'],
    '==> container status <==': [24, 0, 0, ''],
    '==> coredns [c5d28161722d] <==': [1, 42, 0, 'coredns'],
    '==> coredns [fcf48c9e1aa2] <==': [1, 21, 0, 'coredns'],
    '==> describe nodes <==': [101, 0, 0, ''],
    '==> dmesg <==': [1, 21, 0, 'dmesg'],
    '==> etcd [b31e1775defe] <==': [1, 62, 0, 'etcd'],
    '==> etcd [bb982028a275] <==': [1, 55, 0, 'etcd'],
    '==> kernel <==': [6, 0, 0, ''],
    '==> kube-apiserver [407218424f8d] <==': [1, 62, 0, 'kube-apiserver'],
    '==> kube-apiserver [eb6f31e7fa93] <==': [1, 62, 0, 'kube-apiserver'],
    '==> kube-controller-manager [7f649d7532f6] <==': [1, 62, 0, 'kube-controller-manager'],
    '==> kube-controller-manager [ec0db331140c] <==': [1, 62, 0, 'kube-controller-manager'],
    '==> kube-proxy [3655b84d122e] <==': [1, 25, 0, 'kube-proxy'],
    '==> kube-proxy [c4b7bf8269a9] <==': [1, 22, 0, 'kube-proxy'],
    '==> kube-scheduler [4a363d0024e8] <==': [1, 19, 0, 'kube-scheduler'],
    '==> kube-scheduler [51f205a11217] <==': [1, 62, 0, 'kube-scheduler'],
    '==> kubelet <==': [1, 62, 60, 'kubelet'],
    '==> storage-provisioner [84aefbd827a1] <==': [1, 62, 0, 'storage-provisioner'],
    '==> storage-provisioner [fd4caa36d1a6] <==': [1, 61, 0, 'storage-provisioner'],
  });
  // The kubelet section's year comes from the Audit table and Last Start, not from the mtime.
  const kubelet = records.find((r) => r.hints.identifier === 'kubelet' && r.time !== undefined)!;
  assert.equal(kubelet.time, micros('2025-08-11T10:09:12Z'));
  assert.equal(kubelet.hints.component, 'kubelet');
  assert.equal(kubelet.hints.host, 'minikube');
});
