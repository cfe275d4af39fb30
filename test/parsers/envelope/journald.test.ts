import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  componentFromIdentifier,
  isReversed,
  journaldIsoEnvelope,
  journaldJsonEnvelope,
  journaldPreciseEnvelope,
  journaldShortEnvelope,
  readJournaldJson,
} from '../../../parsers/envelope/journald.js';
import type { EnvelopeRecord, SourceHints } from '../../../parsers/types.js';
import { context, micros, readAll } from './helpers.js';
import { assertEachGives } from '../../helpers/table.js';

const place: SourceHints = { host: 'from-path', component: 'kubelet' };

/** The fields that matter, for compact tables. */
function brief(r: EnvelopeRecord): unknown[] {
  return [r.kind, r.text, r.time === undefined ? undefined : new Date(r.time / 1000).toISOString(), r.hints.host, r.hints.identifier, r.hints.pid, r.hints.component];
}

test('journald short: time without a year, host, identifier, pid, component from the identifier', () => {
  const lines = [
    'May 23 08:07:10 ite-ocp-2rk9g-master-0 systemd[1]: Starting Kubernetes Kubelet...',
    'May 23 08:07:20 ite-ocp-2rk9g-master-0 kubenswrapper[2689]: E0523 08:07:20.992141    2689 kubelet.go:2 x',
    'may  3 08:07:21 node1 kernel: eth0: link up',
    'MAY 23 08:07:22 node1 k3s[77]: I0523 08:07:22.000000 77 server.go:1] k3s',
    'May 23 08:07:23 node1 kube-apiserver[9]: I0523 x',
    'May 23 08:07:24 node1 containerd[178]: time="2021-05-23T08:07:24Z" level=info msg="x"',
    'May 23 08:07:25 node1 hyperkube-kubelet[5]: ',
    'May 23 08:07:26 node1 etcd[4]: a: b: c',
  ];
  const records = readAll(journaldShortEnvelope, lines, context(place, micros('2021-06-01T00:00:00Z')));
  assert.deepEqual(records.map(brief), [
    ['record', 'Starting Kubernetes Kubelet...', '2021-05-23T08:07:10.000Z', 'ite-ocp-2rk9g-master-0', 'systemd', 1, 'other'],
    ['record', 'E0523 08:07:20.992141    2689 kubelet.go:2 x', '2021-05-23T08:07:20.000Z', 'ite-ocp-2rk9g-master-0', 'kubenswrapper', 2689, 'kubelet'],
    ['record', 'eth0: link up', '2021-05-03T08:07:21.000Z', 'node1', 'kernel', undefined, 'other'],
    // k3s: no component from the identifier; the file's place keeps its own
    ['record', 'I0523 08:07:22.000000 77 server.go:1] k3s', '2021-05-23T08:07:22.000Z', 'node1', 'k3s', 77, 'kubelet'],
    ['record', 'I0523 x', '2021-05-23T08:07:23.000Z', 'node1', 'kube-apiserver', 9, 'kube-apiserver'],
    ['record', 'time="2021-05-23T08:07:24Z" level=info msg="x"', '2021-05-23T08:07:24.000Z', 'node1', 'containerd', 178, 'other'],
    ['record', '', '2021-05-23T08:07:25.000Z', 'node1', 'hyperkube-kubelet', 5, 'kubelet'],
    ['record', 'a: b: c', '2021-05-23T08:07:26.000Z', 'node1', 'etcd', 4, 'etcd'],
  ]);
  // The whole record for one line, and the hints object shared by one writer's lines.
  assert.deepEqual(records[1], {
    kind: 'record',
    text: 'E0523 08:07:20.992141    2689 kubelet.go:2 x',
    time: micros('2021-05-23T08:07:20Z'),
    timeYearInferred: true,
    hints: { host: 'ite-ocp-2rk9g-master-0', component: 'kubelet', identifier: 'kubenswrapper', pid: 2689 },
    firstLine: 2,
    lastLine: 2,
    raw: lines[1],
  });
  const again = readAll(journaldShortEnvelope, [lines[1]!, lines[1]!], context(place));
  assert.equal(again[0]!.hints, again[1]!.hints);
});

test('journald: journalctl lines are meta; indented lines continue the message before them', () => {
  const lines = [
    '-- Logs begin at Tue 2021-05-25 10:00:00 UTC, end at Wed 2021-05-26 11:00:00 UTC. --',
    'May 25 10:00:01 node1 app[5]: first line',
    '                              second line',
    '-- Boot 1a2b3c4d5e6f47a8b9c0d1e2f3a4b5c6 --',
    '-- Reboot --',
    '-- No entries --',
    'stray text',
  ];
  const records = readAll(journaldShortEnvelope, lines, context(place, micros('2030-01-01T00:00:00Z')));
  const appHints = { host: 'node1', component: 'other', identifier: 'app', pid: 5 };
  assert.deepEqual(records, [
    { kind: 'meta', text: lines[0], hints: place, firstLine: 1, lastLine: 1, raw: lines[0] },
    // the year comes from `-- Logs begin`, not from the far reference time
    { kind: 'record', text: 'first line', time: micros('2021-05-25T10:00:01Z'), timeYearInferred: true, hints: appHints, firstLine: 2, lastLine: 2, raw: lines[1] },
    { kind: 'record', text: 'second line', hints: appHints, firstLine: 3, lastLine: 3, raw: lines[2] },
    { kind: 'meta', text: lines[3], hints: place, firstLine: 4, lastLine: 4, raw: lines[3] },
    { kind: 'meta', text: lines[4], hints: place, firstLine: 5, lastLine: 5, raw: lines[4] },
    { kind: 'meta', text: lines[5], hints: place, firstLine: 6, lastLine: 6, raw: lines[5] },
    { kind: 'record', text: 'stray text', hints: place, firstLine: 7, lastLine: 7, raw: lines[6] },
  ]);
});

test('journald: `-- Logs begin` of a long reversed export: the first line is near its end', () => {
  const lines = [
    '-- Logs begin at Sun 2021-01-10 00:00:00 UTC, end at Mon 2021-12-20 12:00:00 UTC. --',
    'Dec 20 11:00:00 node1 kubelet[1]: newest',
    'Aug 15 00:00:00 node1 kubelet[1]: middle',
    'Apr 01 00:00:00 node1 kubelet[1]: middle',
    'Jan 10 00:00:01 node1 kubelet[1]: oldest',
  ];
  const records = readAll(journaldShortEnvelope, lines, context(place, micros('2030-01-01T00:00:00Z')));
  assert.deepEqual(
    records.map((r) => r.time),
    [
      undefined,
      micros('2021-12-20T11:00:00Z'),
      micros('2021-08-15T00:00:00Z'),
      micros('2021-04-01T00:00:00Z'),
      micros('2021-01-10T00:00:01Z'),
    ],
  );
  // Newer journalctl says `-- Journal begins at ..., ends at ... --`.
  const newer = readAll(
    journaldShortEnvelope,
    ['-- Journal begins at Mon 2019-03-04 05:06:07 UTC, ends at Mon 2019-03-04 09:00:00 UTC. --', 'Mar 04 05:06:08 n kubelet[1]: x'],
    context(place, micros('2030-01-01T00:00:00Z')),
  );
  assert.equal(newer[1]!.time, micros('2019-03-04T05:06:08Z'));
});

test('journald: New Year in forward order and in reverse order (journalctl -r)', () => {
  const forward = ['Dec 31 23:59:58 node1 kubelet[100]: before', 'Jan 01 00:00:05 node1 kubelet[100]: after'];
  assert.deepEqual(
    readAll(journaldShortEnvelope, forward, context(place, micros('2022-01-03T00:00:00Z'))).map((r) => r.time),
    [micros('2021-12-31T23:59:58Z'), micros('2022-01-01T00:00:05Z')],
  );
  const reversed = ['Jan 01 00:00:05 node1 kubelet[100]: after', 'Dec 31 23:59:58 node1 kubelet[100]: before'];
  assert.deepEqual(
    readAll(journaldShortEnvelope, reversed, context(place, micros('2022-01-01T00:10:00Z'))).map((r) => r.time),
    [micros('2022-01-01T00:00:05Z'), micros('2021-12-31T23:59:58Z')],
  );
  // The pipeline reads a reversed file from its end: forward in time, line numbers falling.
  const fromTheEnd = readAll(
    journaldShortEnvelope,
    [
      { text: reversed[1]!, no: 2 },
      { text: reversed[0]!, no: 1 },
    ],
    context(place, micros('2022-01-01T00:10:00Z')),
  );
  assert.deepEqual(
    fromTheEnd.map((r) => [r.firstLine, r.time]),
    [
      [2, micros('2021-12-31T23:59:58Z')],
      [1, micros('2022-01-01T00:00:05Z')],
    ],
  );
});

test('journald: the first line is not placed after the file was written', () => {
  // A forward export starting in March read with an mtime in late November: the closest year
  // would be next March, months after the file was last written.
  const records = readAll(
    journaldShortEnvelope,
    ['Mar 21 14:51:17 node1 kubelet[1]: early', 'Jul 01 00:00:00 node1 kubelet[1]: middle', 'Nov 26 10:00:00 node1 kubelet[1]: late'],
    context(place, micros('2021-11-27T00:00:00Z')),
  );
  assert.deepEqual(
    records.map((r) => r.time),
    [micros('2021-03-21T14:51:17Z'), micros('2021-07-01T00:00:00Z'), micros('2021-11-26T10:00:00Z')],
  );
  // A day or two ahead is clock skew or a time zone, not another year.
  const ahead = readAll(journaldShortEnvelope, ['Nov 28 10:00:00 node1 kubelet[1]: x'], context(place, micros('2021-11-27T00:00:00Z')));
  assert.equal(ahead[0]!.time, micros('2021-11-28T10:00:00Z'));
});

test('journald short-precise and short-iso', () => {
  const precise = readAll(
    journaldPreciseEnvelope,
    ['May 23 08:07:20.123456 node1 kubelet[7]: x', 'May 23 08:07:20.5 node1 kubelet[7]: y'],
    context({}, micros('2021-06-01T00:00:00Z')),
  );
  assert.deepEqual(
    precise.map((r) => [r.time, r.timeYearInferred]),
    [
      [micros('2021-05-23T08:07:20.123Z', 456), true],
      [micros('2021-05-23T08:07:20.500Z'), true],
    ],
  );
  const isoLines = [
    '2021-05-23T08:07:20+0000 node1 kubelet[7]: x',
    '2021-05-23T10:07:21+02:00 node1 kubelet[7]: y',
    '2021-05-23T08:07:22.654321+0000 node1 kubelet[7]: z',
  ];
  const iso = readAll(journaldIsoEnvelope, isoLines, context({}, 0));
  assert.deepEqual(iso[0], {
    kind: 'record',
    text: 'x',
    time: micros('2021-05-23T08:07:20Z'),
    hints: { host: 'node1', component: 'kubelet', identifier: 'kubelet', pid: 7 },
    firstLine: 1,
    lastLine: 1,
    raw: isoLines[0],
  });
  assert.deepEqual(
    iso.map((r) => [r.text, r.time, r.timeYearInferred]),
    [
      ['x', micros('2021-05-23T08:07:20Z'), undefined],
      ['y', micros('2021-05-23T08:07:21Z'), undefined],
      ['z', micros('2021-05-23T08:07:22.654Z', 321), undefined],
    ],
  );
});

test('journald -o json: fields, MESSAGE as a string, as bytes, or null', () => {
  const lines = [
    '{"__REALTIME_TIMESTAMP":"1621757240992141","_HOSTNAME":"node1","SYSLOG_IDENTIFIER":"kubenswrapper","_PID":"2689","_COMM":"kubelet","MESSAGE":"I0523 08:07:20.992141    2689 kubelet.go:1] x"}',
    '{"__REALTIME_TIMESTAMP":"1621757241000000","_HOSTNAME":"node1","_COMM":"dockerd","_PID":"12","MESSAGE":[72,105,32,226,130,172,255]}',
    '{"__REALTIME_TIMESTAMP":"1621757242000000","_HOSTNAME":"node1","SYSLOG_IDENTIFIER":"etcd","MESSAGE":null}',
    '{"__REALTIME_TIMESTAMP":"1621757243000000"',
    'not json',
  ];
  const records = readAll(journaldJsonEnvelope, lines, context(place));
  assert.deepEqual(records, [
    {
      kind: 'record',
      text: 'I0523 08:07:20.992141    2689 kubelet.go:1] x',
      time: 1621757240992141,
      hints: { host: 'node1', component: 'kubelet', identifier: 'kubenswrapper', pid: 2689 },
      firstLine: 1,
      lastLine: 1,
      raw: lines[0],
    },
    {
      kind: 'record',
      text: 'Hi \u20ac\ufffd',
      time: 1621757241000000,
      hints: { host: 'node1', component: 'other', identifier: 'dockerd', pid: 12 },
      firstLine: 2,
      lastLine: 2,
      raw: lines[1],
    },
    {
      kind: 'record',
      text: '',
      time: 1621757242000000,
      hints: { host: 'node1', component: 'etcd', identifier: 'etcd' },
      firstLine: 3,
      lastLine: 3,
      raw: lines[2],
    },
    { kind: 'record', text: lines[3], hints: place, firstLine: 4, lastLine: 4, raw: lines[3] },
    { kind: 'record', text: 'not json', hints: place, firstLine: 5, lastLine: 5, raw: lines[4] },
  ]);
  assert.equal(readJournaldJson('{"MESSAGE":"no timestamp field"}'), undefined);
});

test('journald: scores are strict about the shape', () => {
  const sample = [
    'May 23 08:07:20 node1 kubelet[1]: short',
    'May 23 08:07:20.123456 node1 kubelet[1]: precise',
    '2021-05-23T08:07:20+0000 node1 kubelet[1]: iso',
    '2021-05-23T08:07:20+00:00 node1 kubelet[1]: iso',
    '{"__REALTIME_TIMESTAMP":"1621757240992141","MESSAGE":"json"}',
    'Foo 23 08:07:20 node1 kubelet[1]: not a month',
    'May 23 08:07:20 node1 no identifier here',
    '2025-03-21T14:51:23.344949051Z stderr F cri',
  ];
  assert.equal(journaldShortEnvelope.score(sample), 1);
  assert.equal(journaldPreciseEnvelope.score(sample), 1);
  assert.equal(journaldIsoEnvelope.score(sample), 2);
  assert.equal(journaldJsonEnvelope.score(sample), 1);
});

test('componentFromIdentifier', () => {
  assertEachGives<string, string | undefined>(componentFromIdentifier, [
    ['kubelet', 'kubelet'],
    ['kubenswrapper', 'kubelet'],
    ['hyperkube-kubelet', 'kubelet'],
    ['kube-apiserver', 'kube-apiserver'],
    ['kube-scheduler', 'kube-scheduler'],
    ['kube-controller-manager', 'kube-controller-manager'],
    ['kube-proxy', 'kube-proxy'],
    ['etcd', 'etcd'],
    ['coredns', 'coredns'],
    ['k3s', undefined],
    ['k3s-server', undefined],
    ['k3s-agent', undefined],
    ['systemd', 'other'],
    ['containerd', 'other'],
    ['kernel', 'other'],
    ['dockerd', 'other'],
    ['sshd', 'other'],
    ['some-daemon', 'other'],
  ]);
});

test('isReversed: mostly decreasing timestamps', () => {
  assert.equal(
    isReversed([
      '-- Logs begin at Tue 2021-05-25 10:00:00 UTC, end at Wed 2021-05-26 11:00:00 UTC. --',
      'Jan 01 00:00:09 n a[1]: x',
      'Jan 01 00:00:05 n a[1]: x',
      'Dec 31 23:59:58 n a[1]: x',
      'Dec 31 23:59:50 n a[1]: x',
      'Dec 31 23:59:50 n a[1]: same second',
    ]),
    true,
  );
  assert.equal(
    isReversed(['Dec 31 23:59:50 n a[1]: x', 'Dec 31 23:59:58 n a[1]: x', 'Jan 01 00:00:05 n a[1]: x', 'Jan 01 00:00:09 n a[1]: x']),
    false,
  );
  assert.equal(isReversed(['2021-05-23T08:07:22+0000 n a[1]: x', '2021-05-23T08:07:21+0000 n a[1]: x']), true);
  assert.equal(
    isReversed(['{"__REALTIME_TIMESTAMP":"2","MESSAGE":"b"}', '{"__REALTIME_TIMESTAMP":"1","MESSAGE":"a"}']),
    true,
  );
  assert.equal(isReversed([]), false);
});
