/**
 * Reading one source: a `journalctl -r` file (newest first) shorter than the envelope's sample is
 * still read backwards, oldest first, with every line counted once (found by the fuzz test); a
 * live pipe's lines come out as they arrive.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { readSource } from '../../../src/ingest/source-reader.js';
import { balanced } from '../../../src/ingest/stats.js';
import type { KEvent } from '../../../src/model/event.js';
import { cliPath } from '../../helpers/paths.js';

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

/**
 * `kubectl logs -f | ktrail`: the real CLI with a pipe on stdin that stays open. Each line must
 * come out while the pipe is still open (fewer lines than the envelope's sample, then one more,
 * each after a pause), not when the input ends.
 */
test('a live pipe: lines come out while stdin is still open', { timeout: 60_000 }, async () => {
  const child = spawn(process.execPath, [cliPath(), '-o', 'json'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  const events = (): { msg: string }[] =>
    stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { msg: string });
  /** Waits until `n` events were printed; the time it took, in ms. */
  async function shown(n: number): Promise<number> {
    const t0 = Date.now();
    while (events().length < n) {
      // Generous for a loaded 2-core machine; what matters is that it comes before stdin closes.
      if (Date.now() - t0 > 20_000) assert.fail(`event ${n} not shown 20 s after its line was written (stderr: ${stderr})`);
      await delay(20);
    }
    return Date.now() - t0;
  }
  try {
    const line = (i: number): string => `I0321 14:51:2${i}.000001       1 controller.go:42] "Synced ${i}" pod="default/web-${i}"\n`;
    child.stdin.write(line(1));
    await shown(1);
    child.stdin.write(line(2));
    const latency = await shown(2);
    child.stdin.write(line(3));
    await shown(3);
    assert.deepEqual(
      events().map((e) => e.msg),
      ['Synced 1', 'Synced 2', 'Synced 3'],
    );
    // Logged, not asserted: a shared machine's load makes timings noisy.
    console.log(`a line written to an open pipe came out after ${latency} ms`);
  } finally {
    child.stdin.end();
  }
  assert.equal(await closed, 0, stderr);
  assert.equal(events().length, 3);
});

test('every event of a source takes its cluster, the one place it is set; a source with none leaves it absent', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-reader-cluster-'));
  try {
    const file = join(dir, 'kubelet.log');
    writeFileSync(file, Array.from({ length: 250 }, (_, i) => `I1218 10:00:${String(i % 60).padStart(2, '0')}.000000    1 a.go:1] line ${i}`).join('\n') + '\n');
    const read = async (cluster?: string): Promise<KEvent[]> => {
      let seq = 0;
      const run = readSource({ input: file, display: 'kubelet.log', hints: {}, referenceTime: 1734480000000000, cluster }, { nextSeq: () => ++seq, batchEvents: 100, onError: (m) => assert.fail(m) });
      const events: KEvent[] = [];
      for await (const b of run.events) events.push(...b);
      return events;
    };
    const named = await read('kind');
    assert.equal(named.length, 250);
    assert.ok(named.every((e) => e.cluster === 'kind'));
    assert.ok((await read()).every((e) => !('cluster' in e)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a file set aside is counted as its lines, counted on its bytes or (NULs in it) read', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-aside-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const cri = (i: number): string => `2024-12-18T10:00:${String(i % 60).padStart(2, '0')}.000000000Z stdout F line ${i}`;
  const plain = join(dir, 'plain.log');
  writeFileSync(plain, Array.from({ length: 300 }, (_, i) => cri(i)).join('\n') + '\n' + cri(300));
  const nuls = join(dir, 'nuls.log');
  writeFileSync(nuls, `${cri(1)}\n\0\0${cri(2)}\n${cri(3)}\n`);
  for (const [file, lines, nulLines] of [
    [plain, 301, 0],
    [nuls, 3, 1],
  ] as const) {
    const run = readSource({ input: file, display: 'x.log', hints: {}, setAside: 'a copy of pods/x.log' }, { nextSeq: () => 0, batchEvents: 100, onError: (m) => assert.fail(m) });
    let events = 0;
    for await (const b of run.events) events += b.length;
    assert.equal(events, 0);
    assert.deepEqual(
      [run.stats.envelope, run.stats.setAsideReason, run.stats.linesRead, run.stats.setAside, run.stats.nulLines],
      ['set-aside', 'a copy of pods/x.log', lines, lines, nulLines],
      file,
    );
    assert.ok(balanced(run.stats), JSON.stringify(run.stats));
  }
});
