/**
 * The output writer: chunks text as UTF-8 bytes, waits for 'drain' when the stream is full (so a
 * slow reader bounds the memory held), never waits forever on a stream that closed, and loses no
 * bytes: what arrives is what writing the text itself to the stream gives.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createOutputWriter, putNumber, type OutputWriter } from '../../../src/output/writer.js';

/** A reader that takes each chunk only after a timer tick, recording the buffer high-water. */
function slowReader(highWaterMark: number): { stream: Writable; received: Buffer[]; maxBuffered: () => number } {
  const received: Buffer[] = [];
  let max = 0;
  const stream = new Writable({
    highWaterMark,
    write(chunk: Buffer, _enc, cb) {
      received.push(chunk);
      setTimeout(cb, 1);
    },
  });
  const origWrite = stream.write.bind(stream);
  stream.write = ((chunk: Buffer, ...rest: never[]) => {
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
  assert.ok(maxBuffered() <= 2000 + chunk + 100, `stream buffer reached ${maxBuffered()} bytes`);
  assert.equal(Buffer.concat(received).toString(), expected);
});

test('text below a chunk is held until flush, then written', async () => {
  const received: string[] = [];
  const stream = new Writable({ write: (c: Buffer, _e, cb) => (received.push(c.toString()), cb()) });
  const out = createOutputWriter(stream, 1000);
  assert.equal(out.write('a\n'), undefined);
  assert.deepEqual(received, []);
  await out.flush();
  assert.deepEqual(received, ['a\n']);
});

test('the bytes are the text\'s UTF-8, whatever its characters and however it falls across chunks', async () => {
  const chunks: Buffer[] = [];
  const stream = new Writable({ write: (c: Buffer, _e, cb) => (chunks.push(c), cb()) });
  // Small chunks, so that texts of 1-, 2-, 3- and 4-byte characters (a lone surrogate too, which
  // a stream writes as U+FFFD) and texts longer than a chunk all meet a chunk's end.
  const out = createOutputWriter(stream, 7);
  const texts = ['plain ', 'ü', '€uro', '\u{1F600}', 'lone \ud800 surrogate', 'x'.repeat(50), '', '\u{1F600}'.repeat(9), 'end\n'];
  for (const t of texts) await out.write(t);
  await out.flush();
  assert.ok(chunks.length > 5, `written in ${chunks.length} chunks`);
  assert.deepEqual(Buffer.concat(chunks), Buffer.from(texts.join(''), 'utf8'));
});

test('a reader that goes away (EPIPE) ends the wait and marks the writer closed', async () => {
  const stream = new Writable({ highWaterMark: 10, write: () => undefined /* never calls back */ });
  const out = createOutputWriter(stream, 10);
  const w = out.write('x'.repeat(100));
  assert.ok(w, 'a full stream asks the caller to wait');
  stream.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
  await w; // would hang if only 'drain' were awaited
  assert.equal(out.closed(), true);
  assert.equal(out.write('y'.repeat(100)), undefined);
});

/**
 * 3000 writes through a slow reader, each made by `write` (which returns its wait and the text its
 * bytes should read as): every byte arrives in order, the writer waited, the buffer stayed bounded.
 */
async function throughSlowReader(write: (out: OutputWriter, src: Buffer, i: number) => { wait: Promise<void> | undefined; text: string }): Promise<void> {
  const { stream, received, maxBuffered } = slowReader(2000);
  const out = createOutputWriter(stream, 1000);
  const src = Buffer.from('é😀 abcdefghijklmnopqrstuvwxyz\n'.repeat(200));
  let expected = '';
  let waits = 0;
  for (let i = 0; i < 3000; i++) {
    const { wait, text } = write(out, src, i);
    expected += text;
    if (wait) {
      waits++;
      await wait;
    }
  }
  await out.flush();
  await new Promise<void>((resolve) => stream.end(resolve));
  assert.ok(waits > 10, `waited ${waits} times`);
  assert.ok(maxBuffered() < 2000 + 3 * 1000, `buffered up to ${maxBuffered()} bytes`);
  assert.equal(Buffer.concat(received).toString('latin1'), expected);
}

test('byte ranges and text mixed arrive in order, across chunks, with the wait for a slow reader', async () => {
  await throughSlowReader((out, src, i) => {
    const start = (i * 37) % 1000;
    const end = start + ((i * 13) % 1500);
    const w1 = out.bytes(src, start, end);
    const w2 = out.write(`${i}`);
    return { wait: w2 ?? w1, text: src.subarray(start, end).toString('latin1') + Buffer.from(`${i}`).toString('latin1') };
  });
});

test('putNumber writes String(n) as bytes, digit by digit for a sequence number and through String otherwise', () => {
  const numbers = [0, 7, 9, 10, 99, 100, 536_661, 2 ** 32, 75 * 2 ** 32 + 123, Number.MAX_SAFE_INTEGER, -1, -0, 1.5, 2 ** 53, 1e21, NaN, Infinity, -Number.MAX_VALUE];
  for (const n of numbers) {
    const dst = Buffer.alloc(40, 0x2e);
    const end = putNumber(dst, 3, n);
    assert.equal(dst.toString('latin1', 3, end), String(n), String(n));
    assert.equal(dst.toString('latin1', 0, 3) + dst.toString('latin1', end), '.'.repeat(40 - (end - 3)), 'nothing written outside');
  }
});

test('spliced: byte ranges with a number in place of their middle arrive in order, across chunks, with the wait for a slow reader', async () => {
  await throughSlowReader((out, src, i) => {
    const start = (i * 37) % 1000;
    const cutFrom = start + ((i * 7) % 300);
    const cutTo = cutFrom + (i % 13);
    const end = cutTo + ((i * 13) % 1200);
    const n = i % 5 === 0 ? i * 2 ** 32 + i : i % 7 === 0 ? -i / 4 : i;
    const wait = out.spliced(src, start, cutFrom, n, cutTo, end);
    return { wait, text: src.toString('latin1', start, cutFrom) + String(n) + src.toString('latin1', cutTo, end) };
  });
});
