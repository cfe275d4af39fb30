import { test } from 'node:test';
import assert from 'node:assert/strict';
import { neutralize } from '../../../src/util/sanitize.js';

test('neutralize leaves clean text alone and makes control sequences visible', () => {
  assert.equal(neutralize('plain text é ✓'), 'plain text é ✓');
  const evil = 'ok\x1b[31mred\x1b]0;title\x07\r\nnext\x9b2J\u202Egnp.exe';
  const out = neutralize(evil);
  assert.doesNotMatch(out, /[\x00-\x08\x0a-\x1f\x7f-\x9f\u202e]/);
  assert.equal(out, 'ok␛[31mred␛]0;title␇␍␤next\\u009b2J\\u202egnp.exe');
  assert.equal(neutralize('a\tb'), 'a b');
});

test('neutralize: a line whose only control character is a tab, DEL, C1 or a bidi isolate is still changed', () => {
  const cases: [string, string][] = [['\t', ' '], ['x\x7f', 'x␡'], ['x\x85', 'x\\u0085'], ['\u2066x', '\\u2066x'], ['\u202ax\t', '\\u202ax ']];
  for (const [text, shown] of cases) assert.equal(neutralize(text), shown);
});
