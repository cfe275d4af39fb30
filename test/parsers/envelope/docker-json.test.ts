import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dockerJsonEnvelope, readDockerJson } from '../../../parsers/envelope/docker-json.js';
import { assertCounts, context, micros, readAll } from './helpers.js';

const hints = { component: 'kube-proxy' as const };

test('readDockerJson: the driver fields; anything else is not a record', () => {
  assert.deepEqual(readDockerJson('{"log":"a\\n","stream":"stderr","time":"2021-06-08T18:48:23.45766111Z"}'), {
    log: 'a\n',
    stream: 'stderr',
    time: micros('2021-06-08T18:48:23.457Z', 661),
  });
  // key order does not matter; attrs are ignored
  assert.deepEqual(readDockerJson('{"stream":"stdout","attrs":{"tag":"x"},"log":"b","time":"2021-06-08T18:48:23Z"}'), {
    log: 'b',
    stream: 'stdout',
    time: micros('2021-06-08T18:48:23Z'),
  });
  assert.equal(readDockerJson('{"log":"a\\n","stream":"stderr","time":'), undefined); // cut JSON
  assert.equal(readDockerJson('{"log":42,"stream":"stderr","time":"2021-06-08T18:48:23Z"}'), undefined);
  assert.equal(readDockerJson('{"level":"info","msg":"zap"}'), undefined);
  assert.equal(readDockerJson('{"log":"no stream nor time"}'), undefined);
  assert.equal(readDockerJson('I0608 18:48:23.457413 1533 proxier.go:871] x'), undefined);
});

test('docker-json: the trailing newline is dropped; split records join until one ends in a newline', () => {
  const lines = [
    '{"log":"I0608 18:48:23.457413    1533 proxier.go:871] Syncing iptables rules\\n","stream":"stderr","time":"2021-06-08T18:48:23.45766111Z"}',
    '{"log":"I0608 18:48:24.000000    1533 long ","stream":"stderr","time":"2021-06-08T18:48:24.000000001Z"}',
    '{"log":"out\\r\\n","stream":"stdout","time":"2021-06-08T18:48:24.5Z"}',
    '{"log":"line, second part ","stream":"stderr","time":"2021-06-08T18:48:24.000000002Z"}',
    '{"log":"and the end\\n","stream":"stderr","time":"2021-06-08T18:48:24.000000003Z"}',
    'not json at all',
    '{"log":"\\n","stream":"stdout","time":"2021-06-08T18:48:25Z"}',
  ];
  assert.deepEqual(readAll(dockerJsonEnvelope, lines, context(hints)), [
    {
      kind: 'record',
      text: 'I0608 18:48:23.457413    1533 proxier.go:871] Syncing iptables rules',
      hints,
      firstLine: 1,
      lastLine: 1,
      raw: lines[0],
      time: micros('2021-06-08T18:48:23.457Z', 661),
      stream: 'stderr',
    },
    { kind: 'record', text: 'out', hints, firstLine: 3, lastLine: 3, raw: lines[2], time: micros('2021-06-08T18:48:24.500Z'), stream: 'stdout' },
    {
      kind: 'record',
      text: 'I0608 18:48:24.000000    1533 long line, second part and the end',
      hints,
      firstLine: 2,
      lastLine: 5,
      physicalLines: 3,
      raw: [lines[1], lines[3], lines[4]].join('\n'),
      time: micros('2021-06-08T18:48:24Z'),
      stream: 'stderr',
    },
    { kind: 'record', text: 'not json at all', hints, firstLine: 6, lastLine: 6, raw: lines[5] },
    { kind: 'record', text: '', hints, firstLine: 7, lastLine: 7, raw: lines[6], time: micros('2021-06-08T18:48:25Z'), stream: 'stdout' },
  ]);
});

test('docker-json: a split record never completed is flushed by end()', () => {
  const lines = ['{"log":"partial","stream":"stdout","time":"2021-06-08T18:48:24Z"}'];
  assert.deepEqual(readAll(dockerJsonEnvelope, lines, context(hints)), [
    { kind: 'record', text: 'partial', hints, firstLine: 1, lastLine: 1, raw: lines[0], time: micros('2021-06-08T18:48:24Z'), stream: 'stdout' },
  ]);
});

test('docker-json: score counts driver lines only', () => {
  assertCounts(
    dockerJsonEnvelope,
    ['{"log":"a\\n","stream":"stderr","time":"2021-06-08T18:48:23.45766111Z"}', '{"log":"b\\n","stream":"stdout","time":"2021-06-08T18:48:23Z"}'],
    ['{"level":"info","ts":"2021-06-08T18:48:23Z","msg":"zap"}', '{"log":"broken'],
  );
});
