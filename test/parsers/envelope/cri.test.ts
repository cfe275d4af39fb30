import { test } from 'node:test';
import assert from 'node:assert/strict';
import { criEnvelope, readCriHeader } from '../../../parsers/envelope/cri.js';
import { assertCounts, context, micros, readAll } from './helpers.js';
import { assertEachGives } from '../../helpers/table.js';

const hints = { component: 'kube-apiserver' as const, pod: { namespace: 'kube-system', name: 'kube-apiserver-kind-control-plane' } };

test('readCriHeader: time, stream, tag and where the payload starts', () => {
  assertEachGives<string, ReturnType<typeof readCriHeader>>(readCriHeader, [
    [
      '2025-03-21T14:51:23.344949051Z stderr F I0321 14:51:23.344605 1 x.go:1] hi',
      { micros: micros('2025-03-21T14:51:23.344Z', 949), stream: 'stderr', partial: false, payload: 40 },
    ],
    ['2025-03-21T14:51:33.48985993Z stdout P abc', { micros: micros('2025-03-21T14:51:33.489Z', 859), stream: 'stdout', partial: true, payload: 39 }],
    // an offset instead of Z
    ['2025-03-21T07:51:23.5-07:00 stdout F x', { micros: micros('2025-03-21T14:51:23.500Z'), stream: 'stdout', partial: false, payload: 37 }],
    // an empty payload, with and without the space
    ['2025-03-21T14:51:23Z stdout F ', { micros: micros('2025-03-21T14:51:23Z'), stream: 'stdout', partial: false, payload: 30 }],
    ['2025-03-21T14:51:23Z stdout F', { micros: micros('2025-03-21T14:51:23Z'), stream: 'stdout', partial: false, payload: 30 }],
    // more tags after ':' (allowed by the CRI spec)
    ['2025-03-21T14:51:23Z stdout F:x y', { micros: micros('2025-03-21T14:51:23Z'), stream: 'stdout', partial: false, payload: 32 }],
    ['2025-03-21T14:51:23Z stdin F x', undefined],
    ['2025-03-21T14:51:23Z stdout X x', undefined],
    ['2025-03-21T14:51:23Z stdout Fx', undefined],
    ['2025-03-21 14:51:23 stdout F x', undefined],
    ['I0321 14:51:23.344605 1 x.go:1] bare klog', undefined],
  ]);
});

test('cri: full lines, P runs joined up to the F of their stream, the other stream passing through', () => {
  const lines = [
    '2025-03-21T14:51:23.344949051Z stderr F I0321 first',
    '2025-03-21T14:51:24.000000001Z stdout P part-a ',
    '2025-03-21T14:51:24.000000002Z stderr F interleaved',
    '2025-03-21T14:51:24.000000003Z stdout P part-b ',
    '2025-03-21T14:51:24.000000004Z stdout F part-c',
    '2025-03-21T14:51:25Z stderr F ',
  ];
  assert.deepEqual(readAll(criEnvelope, lines, context(hints)), [
    { kind: 'record', text: 'I0321 first', time: micros('2025-03-21T14:51:23.344Z', 949), stream: 'stderr', hints, firstLine: 1, lastLine: 1, raw: lines[0] },
    { kind: 'record', text: 'interleaved', time: micros('2025-03-21T14:51:24Z'), stream: 'stderr', hints, firstLine: 3, lastLine: 3, raw: lines[2] },
    {
      kind: 'record',
      text: 'part-a part-b part-c',
      time: micros('2025-03-21T14:51:24Z'),
      stream: 'stdout',
      hints,
      firstLine: 2,
      lastLine: 5,
      // Line 3 inside the span belongs to the interleaved record: three lines, not four.
      physicalLines: 3,
      raw: [lines[1], lines[3], lines[4]].join('\n'),
    },
    { kind: 'record', text: '', time: micros('2025-03-21T14:51:25Z'), stream: 'stderr', hints, firstLine: 6, lastLine: 6, raw: lines[5] },
  ]);
});

test('cri: an unterminated P run is flushed by end(); a line not in CRI form is kept whole', () => {
  const lines = [
    '2025-03-21T14:51:24Z stderr P {"level":"info",',
    'garbage \u0000 line',
    '2025-03-21T14:51:25Z stderr P "msg":"cut"',
  ];
  const reader = criEnvelope.create(context(hints));
  assert.deepEqual(reader.push({ text: lines[0]!, no: 1 }), []);
  assert.deepEqual(reader.push({ text: lines[1]!, no: 2 }), [
    { kind: 'record', text: lines[1], hints, firstLine: 2, lastLine: 2, raw: lines[1] },
  ]);
  assert.deepEqual(reader.push({ text: lines[2]!, no: 3, truncated: true }), []);
  assert.deepEqual(reader.end(), [
    {
      kind: 'record',
      text: '{"level":"info","msg":"cut"',
      time: micros('2025-03-21T14:51:24Z'),
      stream: 'stderr',
      hints,
      firstLine: 1,
      lastLine: 3,
      physicalLines: 2,
      raw: `${lines[0]}\n${lines[2]}`,
      truncated: true,
    },
  ]);
  assert.deepEqual(reader.end(), []);
});

test('cri: both streams left open are flushed in line order', () => {
  const records = readAll(criEnvelope, [
    '2025-03-21T14:51:24Z stderr P e1',
    '2025-03-21T14:51:24Z stdout P o1',
    '2025-03-21T14:51:25Z stderr P e2',
  ]);
  assert.deepEqual(
    records.map((r) => [r.stream, r.text, r.firstLine, r.lastLine]),
    [
      ['stderr', 'e1e2', 1, 3],
      ['stdout', 'o1', 2, 2],
    ],
  );
});

test('cri: score counts exact CRI lines only', () => {
  assertCounts(
    criEnvelope,
    ['2025-03-21T14:51:23.344949051Z stderr F x', '2025-03-21T14:51:23.344949051Z stdout P y'],
    ['2025-03-21T14:51:23.344949051Z {"level":"info"}', 'Mar 21 14:51:17 kind-control-plane kubelet[287]: x'],
  );
});
