/**
 * Run by require.test.ts in a child process (its own test file context): one test that needs a
 * thing that is missing, one that needs nothing.
 */
import { test } from 'node:test';
import { requireOrSkip } from './require.js';

const skip = requireOrSkip('the frobnicator /nowhere/frob', false, 'apt-get install frob');
test('needs the frobnicator', { skip }, () => {
  throw new Error('ran although the frobnicator is missing');
});
test('needs nothing', () => undefined);
