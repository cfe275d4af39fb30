import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventAssembler } from '../../../src/ingest/assemble.js';
import { newSourceStats, balanced } from '../../../src/ingest/stats.js';
import type { EnvelopeRecord, PayloadParser, SourceHints } from '../../../parsers/types.js';
import type { KEvent } from '../../../src/model/event.js';
import { PAYLOADS } from '../../../parsers/payload/index.js';

/** A toy format: lines starting with "H " are headers; indented lines continue them. */
const toy: PayloadParser = {
  format: 'klog',
  matches: (t) => t.startsWith('H '),
  continues: (t) => t.startsWith(' ') || t === '',
  parse: (lines) => ({
    format: 'klog',
    severity: lines[0]!.includes('ERR') ? 'error' : 'info',
    message: lines[0]!.slice(2),
    fields: lines.length > 1 ? { continuation: lines.slice(1).join('\n') } : {},
    objects: [],
    component: lines[0]!.includes('sched') ? 'kube-scheduler' : undefined,
  }),
};

function rec(no: number, text: string, hints: SourceHints = {}, span = 1, time?: number): EnvelopeRecord {
  return { kind: 'record', text, hints, firstLine: no, lastLine: no + span - 1, raw: `raw:${text}`, time };
}

function run(records: EnvelopeRecord[], fileHints: SourceHints = {}): { events: KEvent[]; stats: ReturnType<typeof newSourceStats> } {
  const stats = newSourceStats('f.log');
  let seq = 0;
  const a = new EventAssembler(
    { file: 'f.log', envelope: 'cri', hints: fileHints, referenceTime: 0, nextSeq: () => ++seq, parsers: [toy] },
    stats,
  );
  const events: KEvent[] = [];
  for (const r of records) a.push(r, events);
  a.end(events);
  stats.linesRead = records.reduce((n, r) => n + r.lastLine - r.firstLine + 1, 0);
  return { events, stats };
}

test('continuation lines fold into their event; accounting balances', () => {
  const { events, stats } = run([
    rec(1, 'H one'),
    rec(2, ' cont a'),
    rec(3, ''),
    rec(4, ' cont b'),
    rec(5, 'H two', {}, 3), // a CRI P..F join of three physical lines
    rec(8, 'garbage'),
    { kind: 'meta', text: '', hints: {}, firstLine: 9, lastLine: 9, raw: '==> x <==' },
  ]);
  assert.deepEqual(
    events.map((e) => [e.message, e.source.line, e.source.endLine, e.format]),
    [
      ['one', 1, 4, 'klog'],
      ['two', 5, 7, 'klog'],
      ['garbage', 8, 8, 'unknown'],
    ],
  );
  assert.equal(events[0]!.fields.continuation, ' cont a\n\n cont b');
  assert.equal(events[0]!.raw, 'raw:H one\nraw: cont a\nraw:\nraw: cont b');
  assert.deepEqual(
    { events: stats.events, folded: stats.folded, unrecognized: stats.unrecognized, setAside: stats.setAside },
    { events: 2, folded: 5, unrecognized: 1, setAside: 1 },
  );
  assert.ok(balanced(stats));
});

test('a blank line outside any event is set aside; one between events of another writer does not fold', () => {
  const { events, stats } = run([
    rec(1, ''),
    rec(2, 'H a', { identifier: 'kubelet', pid: 1 }),
    rec(3, ' other writer', { identifier: 'systemd', pid: 1 }),
  ]);
  assert.equal(stats.setAside, 1);
  assert.equal(events.length, 2);
  assert.equal(events[1]!.format, 'unknown');
  assert.ok(balanced(stats));
});

test('free text from a known non-cluster writer is plain, not unrecognized', () => {
  const { events, stats } = run([rec(1, 'Started kubelet.service', { component: 'other', identifier: 'systemd' })]);
  assert.equal(events[0]!.format, 'plain');
  assert.equal(events[0]!.component, 'other');
  assert.equal(stats.unrecognized, 0);
});

test('component: envelope first, then file hints, then content, then the last content-named one', () => {
  const { events } = run([rec(1, 'H sched starts'), rec(2, 'H reflector line'), rec(3, 'H x', { component: 'kubelet' })]);
  assert.deepEqual(
    events.map((e) => e.component),
    ['kube-scheduler', 'kube-scheduler', 'kubelet'],
  );
  const fromFile = run([rec(1, 'H sched starts')], { component: 'kube-proxy' });
  assert.equal(fromFile.events[0]!.component, 'kube-proxy');
});

test('the pods/ path names the emitting pod with its uid; the envelope time is the fallback time', () => {
  const { events } = run([rec(1, 'H x', {}, 1, 1234)], {
    host: 'n1',
    pod: { namespace: 'kube-system', name: 'coredns-1', uid: 'u-1', container: 'coredns' },
  });
  assert.deepEqual(events[0]!.objects, [
    { kind: 'Pod', name: 'coredns-1', namespace: 'kube-system', uid: 'u-1', via: 'path', key: 'emitter' },
  ]);
  assert.equal(events[0]!.host, 'n1');
  assert.equal(events[0]!.time, 1234);
  assert.equal(events[0]!.timeInferred, 'envelope');
});

test("free text before the first recognized line is the entrypoint's preamble; with nothing recognized after, it stays unknown", () => {
  const withLog = run([rec(1, 'ETCD_DATA_DIR=/var/lib/etcd'), rec(2, '+ exec etcd --logger=zap'), rec(3, 'H starting'), rec(4, 'stray')]);
  assert.deepEqual(
    withLog.events.map((e) => [e.source.line, e.format, e.fields.preamble ?? null]),
    [
      [1, 'plain', true],
      [2, 'plain', true],
      [3, 'klog', null],
      [4, 'unknown', null],
    ],
  );
  assert.equal(withLog.stats.unrecognized, 1);
  assert.equal(withLog.stats.events, 3);
  assert.ok(balanced(withLog.stats));

  const garbage = run([rec(1, 'no format'), rec(2, 'at all')]);
  assert.deepEqual(
    garbage.events.map((e) => e.format),
    ['unknown', 'unknown'],
  );
  assert.equal(garbage.stats.unrecognized, 2);
  assert.ok(balanced(garbage.stats));
});

test('a line of a format many programs write (logfmt) does not take the last named component', () => {
  const stats = newSourceStats('f.log');
  let seq = 0;
  const a = new EventAssembler({ file: 'f.log', envelope: 'none', hints: {}, referenceTime: 0, nextSeq: () => ++seq, parsers: PAYLOADS }, stats);
  const events: KEvent[] = [];
  // Real lines (kind-1.32-bundle): the kubelet's, then containerd's.
  const lines = [
    'E0321 14:51:25.037956     287 kubelet.go:3202] "Failed creating a mirror pod" err="x" pod="kube-system/kube-apiserver-kind-control-plane"',
    'time="2025-03-21T14:51:17.472119642Z" level=warning msg="The image docker.io/kindest/kindnetd:v20250214-acbabc1a is not unpacked."',
    'I1119 11:58:27.853256    4390 flags.go:59] FLAG: --add-dir-header="false"',
  ];
  lines.forEach((text, i) => a.push(rec(i + 1, text), events));
  a.end(events);
  assert.deepEqual(events.map((e) => [e.format, e.component]), [
    ['klog', 'kubelet'],
    ['logfmt', 'other'],
    ['klog', 'kubelet'], // klog names no component here: its neighbour's stands in
  ]);
});
