import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateSchema, type JsonSchema } from '../../../src/report/json-schema.js';

const schema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1, pattern: '^[a-z-]+$' },
    count: { type: 'integer', minimum: 1, maximum: 10 },
    tags: { type: 'array', minItems: 1, items: { enum: ['a', 'b'] } },
    ref: { $ref: '#/$defs/thing' },
    v: { const: 1 },
    either: { oneOf: [{ type: 'string' }, { type: 'integer' }] },
    nullable: { type: ['string', 'null'] },
  },
  $defs: { thing: { type: 'object', required: ['id'], properties: { id: { type: 'number' } } } },
};

test('the subset of JSON Schema ktrail uses: each keyword, with the path of each error', () => {
  const table: [unknown, string[]][] = [
    [{ name: 'ok-name', count: 3, tags: ['a'], ref: { id: 1.5 }, v: 1, either: 'x', nullable: null }, []],
    [{}, ['(top level): must have "name"']],
    [[], ['(top level): must be object, not array']],
    [{ name: '' }, ['name: must not be empty', 'name: must match ^[a-z-]+$']],
    [{ name: 'x', count: 1.5 }, ['count: must be integer, not number']],
    [{ name: 'x', count: 0 }, ['count: must be at least 1']],
    [{ name: 'x', count: 11 }, ['count: must be at most 10']],
    [{ name: 'x', tags: [] }, ['tags: must have at least 1 item(s)']],
    [{ name: 'x', tags: ['a', 'c'] }, ['tags[1]: must be one of "a", "b"']],
    [{ name: 'x', ref: {} }, ['ref: must have "id"']],
    [{ name: 'x', v: 2 }, ['v: must be 1']],
    [{ name: 'x', either: true }, ['either: must be string, not boolean']],
    [{ name: 'x', extra: 1, 'we ird': 2 }, ['extra: is not allowed here (allowed: name, count, tags, ref, v, either, nullable)', '"we ird": is not allowed here (allowed: name, count, tags, ref, v, either, nullable)']],
  ];
  for (const [value, want] of table) {
    assert.deepEqual(validateSchema(schema, value).map((e) => `${e.path}: ${e.message}`), want, JSON.stringify(value));
  }
});

test('oneOf: exactly one branch must hold', () => {
  const s: JsonSchema = { type: 'object', oneOf: [{ required: ['a'] }, { required: ['b'] }] };
  assert.deepEqual(validateSchema(s, { a: 1 }), []);
  assert.deepEqual(validateSchema(s, { a: 1, b: 2 }).map((e) => e.message), ['matches more than one of the allowed forms (they exclude each other)']);
  assert.deepEqual(validateSchema(s, {}).map((e) => e.message), ['must have "a"']);
});

test('a keyword ajv does not know, or a $ref it cannot resolve, is refused, not ignored', () => {
  assert.throws(() => validateSchema({ frobnicate: 1 } as unknown as JsonSchema, 'x'), /unknown keyword: "frobnicate"/);
  assert.throws(() => validateSchema({ $ref: 'http://elsewhere' }, 'x'), /can't resolve reference http:\/\/elsewhere/);
});

test('anyOf with no branch that fits gives the closest branch, inline or through $ref', () => {
  const s: JsonSchema = {
    anyOf: [{ $ref: '#/$defs/pair' }, { type: 'object', required: ['z'], properties: { z: { type: 'string' } } }],
    $defs: { pair: { type: 'object', required: ['x', 'y'] } },
  };
  assert.deepEqual(validateSchema(s, { x: 1, y: 2 }), []);
  assert.deepEqual(validateSchema(s, { z: 'ok' }), []);
  assert.deepEqual(validateSchema(s, { x: 1 }).map((e) => `${e.path}: ${e.message}`), ['(top level): must have "y"']);
  assert.deepEqual(validateSchema(s, {}).map((e) => `${e.path}: ${e.message}`), ['(top level): must have "z"']);
  assert.deepEqual(validateSchema(s, { z: 1 }).map((e) => `${e.path}: ${e.message}`), ['z: must be string, not integer']);
});
