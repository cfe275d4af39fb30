import { test } from 'node:test';
import assert from 'node:assert/strict';
import { noEnvelope } from '../../../parsers/envelope/none.js';
import { context, readAll } from './helpers.js';

test('none: every line is a record of its own, hints from the file place, no time', () => {
  const hints = { component: 'coredns' as const, host: 'n1' };
  const records = readAll(
    noEnvelope,
    [{ text: '[INFO] plugin/reload: Running configuration', no: 1 }, { text: '', no: 2 }, { text: '.:53', no: 3, truncated: true }],
    context(hints),
  );
  assert.deepEqual(records, [
    { kind: 'record', text: '[INFO] plugin/reload: Running configuration', hints, firstLine: 1, lastLine: 1, raw: '[INFO] plugin/reload: Running configuration' },
    { kind: 'record', text: '', hints, firstLine: 2, lastLine: 2, raw: '' },
    { kind: 'record', text: '.:53', hints, firstLine: 3, lastLine: 3, raw: '.:53', truncated: true },
  ]);
});

test('none: a low constant score', () => {
  assert.equal(noEnvelope.score(['anything', 'at all']), 1);
});
