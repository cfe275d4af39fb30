/** inputBytes: what reading a file yields, a gzip file by its uncompressed size. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { inputBytes } from '../../../src/ingest/input-bytes.js';

test('input bytes: a plain file by its size, a gzip file by its uncompressed size', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-progress-'));
  try {
    const text = 'a line of log text\n'.repeat(1000);
    writeFileSync(join(dir, 'a.log'), text);
    writeFileSync(join(dir, 'a.log.gz'), gzipSync(text));
    assert.equal(await inputBytes(join(dir, 'a.log')), text.length);
    assert.equal(await inputBytes(join(dir, 'a.log.gz')), text.length);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
