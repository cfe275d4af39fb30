import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseJson, parseJsonRecord } from '../../../src/util/json.js';

test('parseJson: a value for JSON, undefined (never a throw) for a cut or corrupted line', () => {
  assert.deepEqual(parseJson('{"a":[1,null]}'), { a: [1, null] });
  assert.equal(parseJson('null'), null);
  assert.equal(parseJson('3'), 3);
  for (const bad of ['', '{"a":1', 'not json', '{"a":1}}', '\u0000']) assert.equal(parseJson(bad), undefined, JSON.stringify(bad));
});

test('parseJsonRecord: only an object, not null, an array or a scalar', () => {
  assert.deepEqual(parseJsonRecord('{"log":"x\\n","stream":"stderr"}'), { log: 'x\n', stream: 'stderr' });
  for (const other of ['null', '[{"a":1}]', '"s"', '12', '{"cut":']) assert.equal(parseJsonRecord(other), undefined, other);
});
