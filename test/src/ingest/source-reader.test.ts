/**
 * A `journalctl -r` file (newest first) shorter than the envelope's sample is still read
 * backwards, oldest first, with every line counted once (found by the fuzz test).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readSource } from '../../../src/ingest/source-reader.js';
import { balanced } from '../../../src/ingest/stats.js';
import type { KEvent } from '../../../src/model/event.js';

test('a short journalctl -r file comes out oldest first, each line once', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-reverse-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'kubelet.json');
  const rec = (us: number, msg: string): string =>
    JSON.stringify({ __REALTIME_TIMESTAMP: String(us), _HOSTNAME: 'node-1', SYSLOG_IDENTIFIER: 'kubelet', MESSAGE: msg, PRIORITY: '6' });
  writeFileSync(file, `${rec(1734480000000003, 'third')}\n${rec(1734480000000002, 'second')}\n${rec(1734480000000001, 'first')}\n`);
  let seq = 0;
  const run = readSource({ input: file, display: 'kubelet.json', hints: {}, referenceTime: 1734480000000000 }, { nextSeq: () => ++seq, batchEvents: 100, onError: (m) => assert.fail(m) });
  const events: KEvent[] = [];
  for await (const b of run.events) events.push(...b);
  assert.deepEqual(
    events.map((e) => [e.source.line, e.message]),
    [
      [3, 'first'],
      [2, 'second'],
      [1, 'third'],
    ],
  );
  assert.equal(run.stats.linesRead, 3);
  assert.ok(balanced(run.stats), JSON.stringify(run.stats));
});
