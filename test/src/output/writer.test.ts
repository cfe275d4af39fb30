/**
 * The output writer: chunks text, waits for 'drain' when the stream is full (so a slow reader
 * bounds the memory held), never waits forever on a stream that closed, and loses no bytes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createOutputWriter } from '../../../src/output/writer.js';

/** A reader that takes each chunk only after a timer tick, recording the buffer high-water. */
function slowReader(highWaterMark: number): { stream: Writable; received: string[]; maxBuffered: () => number } {
  const received: string[] = [];
  let max = 0;
  const stream = new Writable({
    highWaterMark,
    decodeStrings: false,
    write(chunk: string, _enc, cb) {
      received.push(chunk);
      setTimeout(cb, 1);
    },
  });
  const origWrite = stream.write.bind(stream);
  stream.write = ((chunk: string, ...rest: never[]) => {
    const ok = origWrite(chunk, ...rest);
    max = Math.max(max, stream.writableLength);
    return ok;
  }) as typeof stream.write;
  return { stream, received, maxBuffered: () => max };
}

test('a slow reader makes the writer wait for drain, the buffer stays bounded and every byte arrives in order', async () => {
  const chunk = 1000;
  const { stream, received, maxBuffered } = slowReader(2000);
  const out = createOutputWriter(stream, chunk);
  let waits = 0;
  let expected = '';
  for (let i = 0; i < 5000; i++) {
    const line = `line ${i} ${'x'.repeat(i % 50)}\n`;
    expected += line;
    const w = out.write(line);
    if (w) {
      waits++;
      await w;
    }
  }
  await out.flush();
  await new Promise<void>((resolve) => stream.end(resolve));
  assert.ok(waits > 10, `the writer should have waited for the reader (waited ${waits} times)`);
  // Never more than the stream's high-water mark plus one chunk (and one line) queued in it.
  assert.ok(maxBuffered() <= 2000 + chunk + 100, `stream buffer reached ${maxBuffered()} chars`);
  assert.equal(received.join(''), expected);
});

test('text below a chunk is held until flush, then written', async () => {
  const received: string[] = [];
  const stream = new Writable({ decodeStrings: false, write: (c: string, _e, cb) => (received.push(c), cb()) });
  const out = createOutputWriter(stream, 1000);
  assert.equal(out.write('a\n'), undefined);
  assert.deepEqual(received, []);
  await out.flush();
  assert.deepEqual(received, ['a\n']);
});

test('a reader that goes away (EPIPE) ends the wait and marks the writer closed', async () => {
  const stream = new Writable({ highWaterMark: 10, decodeStrings: false, write: () => undefined /* never calls back */ });
  const out = createOutputWriter(stream, 10);
  const w = out.write('x'.repeat(100));
  assert.ok(w, 'a full stream asks the caller to wait');
  stream.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
  await w; // would hang if only 'drain' were awaited
  assert.equal(out.closed(), true);
  assert.equal(out.write('y'.repeat(100)), undefined);
});
