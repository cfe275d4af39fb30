import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import { drained } from '../../../src/util/drain.js';

test('drained: resolves on the first of drain, close or error, and leaves no listener behind', async () => {
  for (const name of ['drain', 'close', 'error']) {
    const stream = new EventEmitter();
    stream.on('error', () => {}); // the owner's handler: an error must not throw here
    let done = false;
    const wait = drained(stream).then(() => (done = true));
    await Promise.resolve();
    assert.equal(done, false, `${name}: waits until an event comes`);
    stream.emit(name);
    await wait;
    assert.equal(done, true, name);
    assert.deepEqual([stream.listenerCount('drain'), stream.listenerCount('close'), stream.listenerCount('error')], [0, 0, 1], name);
  }
});
