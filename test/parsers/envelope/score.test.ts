import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countLines } from '../../../parsers/envelope/score.js';
import { readCriHeader } from '../../../parsers/envelope/cri.js';

test('countLines: the sample lines the test accepts, whatever truthy value it gives', () => {
  const score = countLines(readCriHeader);
  assert.equal(score([]), 0);
  assert.equal(
    score([
      '2025-03-21T14:51:23.344949123Z stderr F I0321 14:51:23.344949       1 server.go:155] "Starting"',
      'I0321 14:51:23.344949       1 server.go:155] bare klog',
      '2025-03-21T14:51:24Z stdout P part',
    ]),
    2,
  );
});
