import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readLeadingTimestamp, timestampEnvelope } from '../../../parsers/envelope/timestamp.js';
import { assertCounts, micros, readAll } from './helpers.js';
import { assertEachGives } from '../../helpers/table.js';

test('readLeadingTimestamp: RFC3339 with T and a zone, then a space', () => {
  assertEachGives<string, { micros: number; payload: number } | undefined>(readLeadingTimestamp, [
    ['2021-08-03T09:27:01.949552752Z {"level":"info"}', { micros: micros('2021-08-03T09:27:01.949Z', 552), payload: 31 }],
    ['2021-08-03T09:27:01Z x', { micros: micros('2021-08-03T09:27:01Z'), payload: 21 }],
    ['2021-08-03T11:27:01.5+02:00 x', { micros: micros('2021-08-03T09:27:01.500Z'), payload: 28 }],
    ['2021-08-03T09:27:01.949552752Z', { micros: micros('2021-08-03T09:27:01.949Z', 552), payload: 31 }],
    // etcd capnslog: a local time with a space, no zone: a payload, not an envelope
    ['2021-05-26 01:55:29.382834 I | etcdserver: published', undefined],
    ['2021-08-03T09:27:01.949552752 no zone', undefined],
    ['2021-13-03T09:27:01Z bad month', undefined],
    ['I0803 09:27:01.949552       1 main.go:1] klog', undefined],
    ['2021-08-03T09:27:01.949552752Zjunk', undefined],
    ['', undefined],
  ]);
});

test('timestamp: records with the envelope time; other lines kept whole', () => {
  const hints = { component: 'etcd' as const };
  const lines = [
    '2021-08-03T09:27:01.949552752Z {"level":"info","ts":"2021-08-03T09:27:01.949Z","msg":"ok"}',
    '2021-08-03T09:27:01.938690673Z real\t0m22.110s',
    '2021-08-03T09:27:01.940280393Z ',
    'not timestamped',
  ];
  assert.deepEqual(readAll(timestampEnvelope, lines, { file: 'current.log', hints, referenceTime: 0 }), [
    {
      kind: 'record',
      text: '{"level":"info","ts":"2021-08-03T09:27:01.949Z","msg":"ok"}',
      time: micros('2021-08-03T09:27:01.949Z', 552),
      hints,
      firstLine: 1,
      lastLine: 1,
      raw: lines[0],
    },
    { kind: 'record', text: 'real\t0m22.110s', time: micros('2021-08-03T09:27:01.938Z', 690), hints, firstLine: 2, lastLine: 2, raw: lines[1] },
    { kind: 'record', text: '', time: micros('2021-08-03T09:27:01.940Z', 280), hints, firstLine: 3, lastLine: 3, raw: lines[2] },
    { kind: 'record', text: 'not timestamped', hints, firstLine: 4, lastLine: 4, raw: lines[3] },
  ]);
});

test('timestamp: score counts exact matches only', () => {
  assertCounts(timestampEnvelope, ['2021-08-03T09:27:01.949552752Z x', '2021-08-03T09:27:02Z y'], ['2021-05-26 01:55:29.382834 I | etcdserver: x', 'plain']);
});
