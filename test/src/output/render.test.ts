/**
 * Events rendered before the merge (src/output/render.ts) write, once the merge gave them their
 * final sequence numbers, exactly the lines the sinks write for them: real corpus events, in text
 * (with and without colour and cluster), raw (terminal or not) and NDJSON, where the number's
 * width changes (a source's own seq is 10+ digits, the final one often 1), in batches whose
 * buffers are sized from the batches before (so some grow), and through the output writer.
 */
import { Writable } from 'node:stream';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { makeChalk } from '../../../src/output/colors.js';
import { clusterAt, componentAt, lineCount, severityAt, writeLine } from '../../../src/output/line-batch.js';
import { ndjsonLine } from '../../../src/output/ndjson.js';
import { decimalDigits, lineBatcher, type RenderSpec } from '../../../src/output/render.js';
import { createOutputWriter } from '../../../src/output/writer.js';
import { formatEventLine, formatRaw } from '../../../src/output/text.js';
import type { KEvent } from '../../../src/model/event.js';
import { corpus, corpusSkip } from '../../helpers/paths.js';
import { lineText } from '../../helpers/line-batch.js';
import { readAll } from '../../helpers/read-events.js';

const specs: RenderSpec[] = [
  { output: 'json', color: false, tty: false, showCluster: false },
  { output: 'text', color: true, tty: true, showCluster: true },
  { output: 'text', color: false, tty: false, showCluster: false },
  { output: 'raw', color: false, tty: true, showCluster: false },
  { output: 'raw', color: false, tty: false, showCluster: false },
];

/** The events in batches of growing size (1, 2, 4... 512): small buffers first, then ones that must grow. */
function batches(events: KEvent[]): KEvent[][] {
  const out: KEvent[][] = [];
  for (let i = 0, size = 1; i < events.length; i += size, size = Math.min(512, size * 2)) out.push(events.slice(i, i + size));
  return out;
}

test('rendered lines equal the sinks\' lines for real events, with the final seq put in', { skip: corpusSkip() }, async () => {
  const { events } = await readAll(corpus('kind-1.32-bundle'));
  assert.ok(events.length > 1000);
  // Non-ASCII text, and a line far longer than any before it (its batch's buffer must grow).
  const copies = events.map((e, i) => ({ ...e, seq: 5 * 2 ** 32 + i, cluster: i % 2 ? 'east' : undefined }));
  copies[700] = { ...copies[700]!, message: 'é😀 ' + 'x'.repeat(100_000), raw: 'ünïcode 😀' };
  for (const spec of specs) {
    const render = lineBatcher(spec);
    const c = makeChalk(spec.color);
    let i = 0;
    for (const chunk of batches(copies)) {
      const b = render(chunk);
      assert.equal(lineCount(b), chunk.length);
      chunk.forEach((e, k) => {
        assert.equal(b.time[k], e.time);
        assert.equal(componentAt(b, k), e.component);
        assert.equal(severityAt(b, k), e.severity);
        assert.equal(clusterAt(b, k), e.cluster);
        assert.equal(b.seq[k], e.seq);
        // The merge gives it its final number.
        b.seq[k] = ++i;
        const final = { ...e, seq: i };
        const expected =
          spec.output === 'json' ? ndjsonLine(final) : (spec.output === 'raw' ? formatRaw(final, spec.tty) : formatEventLine(final, c, spec.showCluster)) + '\n';
        assert.equal(lineText(b, k), expected, `${spec.output} line of ${e.source.file}:${e.source.line}`);
      });
    }
  }
});

test('rendered lines written through the writer are the bytes of the lines joined', { skip: corpusSkip() }, async () => {
  const { events } = await readAll(corpus('kind-1.32-bundle'));
  for (const output of ['json', 'text', 'raw'] as const) {
    const render = lineBatcher({ output, color: false, tty: false, showCluster: false });
    const chunks: Buffer[] = [];
    const out = createOutputWriter(new Writable({ write: (c: Buffer, _e, cb) => (chunks.push(c), cb()) }), 4096);
    let expected = '';
    let seq = 0;
    for (const chunk of batches(events)) {
      const b = render(chunk);
      for (let k = 0; k < lineCount(b); k++) {
        b.seq[k] = ++seq;
        expected += lineText(b, k);
        await writeLine(out, b, k);
      }
    }
    await out.flush();
    assert.ok(chunks.length > 10, `${output}: ${chunks.length} chunks`);
    assert.equal(Buffer.concat(chunks).toString(), expected, output);
  }
});

test('an empty batch renders to no lines and no bytes', () => {
  const b = lineBatcher(specs[0]!)([]);
  assert.equal(lineCount(b), 0);
  assert.equal(b.bytes.length, 0);
});

test('decimalDigits is the length of String(n) for any number', () => {
  fc.assert(
    fc.property(fc.oneof(fc.nat(), fc.maxSafeNat(), fc.integer(), fc.double(), fc.constantFrom(0, -0, 9, 10, 99, 100, 2 ** 53, 2 ** 53 - 1, 1e21)), (n) => {
      assert.equal(decimalDigits(n), String(n).length, String(n));
    }),
    { numRuns: 2000, seed: 10 },
  );
});

test('a rendered line is byte for byte the sink\'s line (its UTF-8), newline included, for arbitrary text', () => {
  // Any UTF-16 (lone surrogates, control characters, escapes, quotes), and now and then a huge line.
  const text = fc.oneof(
    { weight: 8, arbitrary: fc.string({ unit: 'binary', maxLength: 80 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }).map((s) => s.repeat(2000)) },
  );
  const anEvent = fc.record({ message: text, raw: text, seq: fc.maxSafeNat(), line: fc.nat() }).map(
    ({ message, raw, seq, line }): KEvent => ({
      seq,
      time: 1_742_568_684_000_000 + line,
      component: 'kubelet',
      severity: 'info',
      message,
      fields: { text: message },
      objects: [],
      source: { file: 'x/kubelet.log', line, endLine: line, format: 'none/klog' },
      raw,
      format: 'klog',
    }),
  );
  fc.assert(
    fc.property(fc.array(anEvent, { maxLength: 12 }), fc.constantFrom(...specs), (events, spec) => {
      const b = lineBatcher(spec)(events);
      const c = makeChalk(spec.color);
      events.forEach((e, k) => {
        const expected =
          spec.output === 'json' ? ndjsonLine(e) : (spec.output === 'raw' ? formatRaw(e, spec.tty) : formatEventLine(e, c, spec.showCluster)) + '\n';
        const start = k === 0 ? 0 : b.marks[3 * k - 1]!;
        assert.deepEqual(Buffer.from(b.bytes.subarray(start, b.marks[3 * k + 2]!)), Buffer.from(expected, 'utf8'));
        if (spec.output === 'json') assert.equal(b.marks[3 * k + 1]! - b.marks[3 * k]!, String(e.seq).length);
      });
    }),
    { numRuns: 300, seed: 10 },
  );
});

test('JSON lines cut from one stringify of a group are the sink\'s lines, also where a line\'s fields hold the bounds\' characters', { skip: corpusSkip() }, async () => {
  // A group is cut at `},{"level":`; here some lines hold it in a nested value (an array of
  // objects whose first key is "level", which a parsed JSON log line can carry), in a string
  // (escaped there, so no bound), or as a key; with non-ASCII text in some groups and not in
  // others, and groups closed by their characters (huge raw text) as well as their count.
  const { events } = await readAll(corpus('kind-1.32-bundle'));
  const forged = [
    { nested: [{}, { level: 30, time: 1 }] },
    { text: '},{"level":30,"time":1}' },
    { '},{"level":': [{ level: 1 }] },
  ];
  const copies = events.slice(0, 3000).map((e, i) => {
    const copy: KEvent = { ...e, seq: 7 * 2 ** 32 + i };
    if (i % 97 === 5) copy.fields = { ...e.fields, ...forged[i % forged.length]! };
    if (i % 401 === 7) copy.message = 'naïve ' + e.message;
    if (i % 1003 === 11) copy.raw = 'y'.repeat(300_000);
    return copy;
  });
  assert.ok(copies.some((e) => e.message.startsWith('naïve')));
  const render = lineBatcher(specs[0]!);
  for (const chunk of batches(copies)) {
    const b = render(chunk);
    assert.equal(lineCount(b), chunk.length);
    chunk.forEach((e, k) => assert.equal(lineText(b, k), ndjsonLine(e), `${e.source.file}:${e.source.line}`));
  }
});
