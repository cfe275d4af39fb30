import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { findReferenceTime } from '../../../src/ingest/reference-time.js';

test('the reference is the median of the files\' first full timestamps; gzip and year-less files give none', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-ref-'));
  try {
    const f = (name: string, body: string | Buffer): string => {
      writeFileSync(join(dir, name), body);
      return join(dir, name);
    };
    const files = [
      f('a.log', '2025-03-21T14:51:23.1Z stderr F x\n'),
      f('b.log', '2025-03-22T00:00:00Z stderr F cert valid until 2035-01-01T00:00:00Z\n'),
      f('c.log', '2024-01-01T00:00:00Z stderr F x\n'),
      f('journal.log', 'Mar 21 14:51:17 host systemd[1]: Started.\n'),
      f('z.log.gz', gzipSync('2030-01-01T00:00:00Z x\n')),
    ];
    assert.equal(await findReferenceTime(files), Date.UTC(2025, 2, 21, 14, 51, 23) * 1000);
    assert.equal(await findReferenceTime([files[3]!, files[4]!, join(dir, 'missing')]), undefined);
    // A time in the future is never a reference.
    assert.equal(await findReferenceTime([files[1]!], Date.UTC(2025, 0, 1)), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
