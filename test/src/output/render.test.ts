/**
 * An event rendered before the merge (src/output/render.ts) writes, once the merge gave it its
 * final sequence number, exactly the line the sinks write for the event: real corpus events, in
 * text (with and without colour and cluster), raw (terminal or not) and NDJSON, where the
 * number's width changes (a source's own seq is 10+ digits, the final one often 1).
 */
import { Writable } from 'node:stream';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeChalk } from '../../../src/output/colors.js';
import { ndjsonLine } from '../../../src/output/ndjson.js';
import { renderedLine, renderer, writeRendered, type RenderSpec } from '../../../src/output/render.js';
import { createOutputWriter } from '../../../src/output/writer.js';
import { formatEventLine, formatRaw } from '../../../src/output/text.js';
import { corpus, corpusSkip } from '../../helpers/paths.js';
import { readAll } from '../../helpers/read-events.js';

test('rendered lines equal the sinks\' lines for real events, with the final seq put in', { skip: corpusSkip() }, async () => {
  const { events } = await readAll(corpus('kind-1.32-bundle'));
  assert.ok(events.length > 1000);
  const specs: RenderSpec[] = [
    { output: 'json', color: false, tty: false, showCluster: false },
    { output: 'text', color: true, tty: true, showCluster: true },
    { output: 'text', color: false, tty: false, showCluster: false },
    { output: 'raw', color: false, tty: true, showCluster: false },
    { output: 'raw', color: false, tty: false, showCluster: false },
  ];
  for (const spec of specs) {
    const render = renderer(spec);
    const c = makeChalk(spec.color);
    events.forEach((e, i) => {
      const copy = { ...e, seq: 5 * 2 ** 32 + i, cluster: i % 2 ? 'east' : undefined };
      const r = render(copy);
      assert.equal(r.time, e.time);
      assert.equal(r.component, e.component);
      assert.equal(r.severity, e.severity);
      assert.equal(r.cluster, copy.cluster);
      // The merge gives it its final number.
      r.seq = i + 1;
      copy.seq = i + 1;
      const expected =
        spec.output === 'json' ? ndjsonLine(copy) : (spec.output === 'raw' ? formatRaw(copy, spec.tty) : formatEventLine(copy, c, spec.showCluster)) + '\n';
      assert.equal(renderedLine(r), expected, `${spec.output} line of ${e.source.file}:${e.source.line}`);
    });
  }
});

test('rendered lines written in their parts are the bytes of the lines joined', { skip: corpusSkip() }, async () => {
  const { events } = await readAll(corpus('kind-1.32-bundle'));
  for (const output of ['json', 'text', 'raw'] as const) {
    const render = renderer({ output, color: false, tty: false, showCluster: false });
    const chunks: Buffer[] = [];
    const out = createOutputWriter(new Writable({ write: (c: Buffer, _e, cb) => (chunks.push(c), cb()) }), 4096);
    let expected = '';
    for (const [i, e] of events.entries()) {
      const r = render(e);
      r.seq = i + 1;
      expected += renderedLine(r);
      await writeRendered(out, r);
    }
    await out.flush();
    assert.ok(chunks.length > 10, `${output}: ${chunks.length} chunks`);
    assert.equal(Buffer.concat(chunks).toString(), expected, output);
  }
});
