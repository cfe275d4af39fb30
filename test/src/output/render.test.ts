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
import { makeChalk } from '../../../src/output/colors.js';
import { clusterAt, componentAt, lineCount, severityAt, writeLine } from '../../../src/output/line-batch.js';
import { ndjsonLine } from '../../../src/output/ndjson.js';
import { lineBatcher, type RenderSpec } from '../../../src/output/render.js';
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
