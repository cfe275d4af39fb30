/** work.ts: a file's work is its bytes plus a weight per line, its lines estimated from its head. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileWork, LINE_WEIGHT } from '../../../../src/ingest/workers/work.js';
import { inputBytes } from '../../../../src/ingest/input-bytes.js';
import { corpusDir, corpusSkip } from '../../../helpers/paths.js';

test('fileWork: short lines weigh more than long ones of the same bytes; gzip by its inflated head', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-work-'));
  try {
    const short = 'I0321 dns 10.0.0.1\n'.repeat(20_000); // 19 bytes a line
    const long = `${'x'.repeat(189)}\n`.repeat(2_000); // 190 bytes a line, the same total
    assert.equal(short.length, long.length);
    writeFileSync(join(dir, 'short.log'), short);
    writeFileSync(join(dir, 'long.log'), long);
    writeFileSync(join(dir, 'short.log.gz'), gzipSync(short));
    writeFileSync(join(dir, 'empty.log'), '');
    // UTF-16 (as reading decodes it): a line end is 0a 00, not every 0a byte (U+0A0A is none).
    writeFileSync(join(dir, 'utf16.log'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('\u0a0a\u0a0a\u0a0a\n'.repeat(2_000), 'utf16le')]));
    const bytes = short.length;
    // Lines estimated from the head (cut mid-line): within a percent of the count.
    const lines = async (file: string, size: number): Promise<number> => ((await fileWork(join(dir, file), size)) - size) / LINE_WEIGHT;
    const near = (actual: number, expected: number): void => assert.ok(Math.abs(actual - expected) <= expected / 100, `${actual} lines for ${expected}`);
    near(await lines('short.log', bytes), 20_000);
    near(await lines('long.log', bytes), 2_000);
    near(await lines('short.log.gz', await inputBytes(join(dir, 'short.log.gz'))), 20_000);
    assert.equal(await fileWork(join(dir, 'empty.log'), 0), 0);
    near(await lines('utf16.log', 2 + 8 * 2_000), 2_000);
    // A file that cannot be read (gone since it was listed) counts its bytes alone.
    assert.equal(await fileWork(join(dir, 'gone.log'), 1234), 1234);
    // A gzip file cut after its header inflates to little or nothing: no crash, its bytes at least.
    writeFileSync(join(dir, 'cut.gz'), gzipSync(short).subarray(0, 12));
    assert.ok((await fileWork(join(dir, 'cut.gz'), 5000)) >= 5000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('fileWork on real captures: the estimate from the head is within a factor of two of the lines counted', { skip: corpusSkip() }, async () => {
  for (const rel of ['raw-klog-1.19/kubelet.log', 'raw-klog-1.19/kube-apiserver.log']) {
    const path = join(corpusDir!, rel);
    const text = readFileSync(path);
    const lines = text.filter((b) => b === 10).length;
    const estimated = ((await fileWork(path, text.length)) - text.length) / LINE_WEIGHT;
    assert.ok(estimated > lines / 2 && estimated < lines * 2, `${rel}: ${estimated} lines estimated, ${lines} counted`);
  }
});
