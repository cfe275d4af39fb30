import { test } from 'node:test';
import assert from 'node:assert/strict';
import { givenPath } from '../../../src/util/extracted-path.js';

test('a file extracted from an archive is given again as the archive; any other file as itself', () => {
  assert.equal(givenPath('/tmp/ktrail-archive-x1/mg/host/kubelet.log', 'mg.tar.xz/mg/host/kubelet.log'), 'mg.tar.xz');
  assert.equal(givenPath('/tmp/ktrail-archive-x1/a.log', '/data/logs.zip/a.log'), '/data/logs.zip');
  assert.equal(givenPath('/var/log/kubelet.log', 'kubelet.log'), '/var/log/kubelet.log');
  // The display does not end with the entry's path (a name shortened, a nested archive renamed): left as it is.
  assert.equal(givenPath('/tmp/ktrail-archive-x1/a~2.log', 'logs.zip/a.log'), '/tmp/ktrail-archive-x1/a~2.log');
});
