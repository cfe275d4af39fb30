/**
 * Follow mode's latency from an append to its event (moved here from the unit tests: a figure,
 * not a pass/fail check on a shared machine). A quiet file's last line waits idleMs by design;
 * the rest is the watcher and the read.
 */
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { follow } from '../../src/ingest/follow.js';

export async function benchFollow(appends = 100, idleMs = 30): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-bench-follow-'));
  const follower = follow([dir], { idleMs, partialMs: 600 });
  let events = 0;
  const consumer = (async () => {
    for await (const b of follower) events += b.events.length;
  })();
  try {
    await follower.ready;
    const file = join(dir, 'kubelet.log');
    const samples: number[] = [];
    for (let i = 1; i <= appends; i++) {
      const before = events;
      const t0 = performance.now();
      appendFileSync(file, `I0321 14:51:23.${String(i).padStart(6, '0')}       1 controller.go:42] "Synced" n=${i}\n`);
      const deadline = Date.now() + 5000;
      while (events <= before) {
        if (Date.now() > deadline) throw new Error(`no event for append ${i} within 5 s`);
        await new Promise((r) => setTimeout(r, 1));
      }
      samples.push(performance.now() - t0);
    }
    samples.sort((a, b) => a - b);
    const at = (q: number): string => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!.toFixed(1);
    console.log(`follow: append -> event over ${appends} appends, idleMs ${idleMs}: median ${at(0.5)} ms, p90 ${at(0.9)} ms, max ${at(1)} ms (aim: median under idleMs + 150 ms)`);
  } finally {
    await follower.close();
    await consumer;
    rmSync(dir, { recursive: true, force: true });
  }
}
