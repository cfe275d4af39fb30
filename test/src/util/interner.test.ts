import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Interner } from '../../../src/util/interner.js';

test('Interner gives one copy of each string, the first it saw; null and undefined pass through', () => {
  const strings = new Interner();
  // Two equal strings built apart: equal, and (for V8) separate copies until interned.
  const first = ['de', 'fault'].join('');
  const second = ['def', 'ault'].join('');
  assert.equal(strings.of(first), first);
  assert.equal(strings.of(second), first);
  assert.equal(strings.of('kube-system'), 'kube-system');
  assert.equal(strings.size, 2);
  assert.equal(strings.of(null), null);
  assert.equal(strings.of(undefined), undefined);
  assert.equal(strings.size, 2);
});
