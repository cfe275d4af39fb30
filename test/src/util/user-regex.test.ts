import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileUserRegex, UserRegexError } from '../../../src/util/user-regex.js';

// The timeout is a hang guard only: on a backtracking engine the first case runs for minutes.
test('catastrophic patterns match in linear time and give the right answer', { timeout: 20_000 }, () => {
  const line = 'a'.repeat(40) + '!'; // 41 characters
  assert.equal(compileUserRegex('(a+)+$').test(line), false);
  assert.equal(compileUserRegex('(a+)+$').test('a'.repeat(40)), true);
  assert.equal(compileUserRegex('^(a|a)*b$').test('a'.repeat(5000)), false);
  assert.equal(compileUserRegex('(x+x+)+y').test('x'.repeat(20_000)), false);
  assert.equal(compileUserRegex('(\\w+\\s?)+$').test('word '.repeat(2000) + '\u0000'), false);
});

test('JavaScript syntax and the leading inline flags work as before', () => {
  const cases: [string, string, boolean][] = [
    ['(?i)ERROR', 'an error here', true],
    ['error', 'an ERROR here', false],
    ['took \\d+(\\.\\d+)?ms', 'took 469.7ms', true],
    ['^(?:kube-.*)$', 'kube-proxy', true],
    ['^(?:kube-.*)$', 'not-kube-proxy', false],
    ['(?i)CAFÉ', 'café 100%', true],
    ['\\u00e9t\\u00e9', 'été', true],
    ['(?<word>[a-z]+)=1', 'x=1', true],
    ['kubectl/v', 'kubectl/v1.32', true],
    ['(?s)a.b', 'a\nb', true],
    ['a.b', 'a\nb', false],
    ['(?m)^b$', 'a\nb\nc', true],
    ['^b$', 'a\nb\nc', false],
  ];
  for (const [pattern, text, want] of cases) assert.equal(compileUserRegex(pattern).test(text), want, `${pattern} ~ ${JSON.stringify(text)}`);
});

test('lookaround and backreferences are refused with a clear error, other mistakes quote the pattern', () => {
  for (const p of ['foo(?=bar)', 'foo(?!bar)', '(?<=a)b', '(?<!a)b']) {
    assert.throws(() => compileUserRegex(p), (e: unknown) => e instanceof UserRegexError && /^lookaround .* not supported: .*RE2.*linear time/.test(e.message), p);
  }
  for (const p of ['(a)\\1', '(?<x>a)\\k<x>']) {
    assert.throws(() => compileUserRegex(p), (e: unknown) => e instanceof UserRegexError && /^backreferences .* not supported/.test(e.message), p);
  }
  assert.throws(() => compileUserRegex('a(('), (e: unknown) => e instanceof UserRegexError && e.message.startsWith('/a((/: missing closing )'));
  assert.throws(() => compileUserRegex('a{2000}'), /invalid repeat count/);
  assert.equal(compileUserRegex('\\\\k<').test('a \\k< b'), true, 'an escaped backslash before k< is not a backreference');
});
