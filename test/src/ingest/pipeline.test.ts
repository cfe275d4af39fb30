/**
 * The source pipeline fed chunk by chunk, as follow mode and worker threads feed it: whatever the
 * cut, it gives what a one-shot read of the same file gives, and its events are plain data.
 * Real files from ../shared/corpus.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { SourcePipeline } from '../../../src/ingest/pipeline.js';
import { readSource } from '../../../src/ingest/source-reader.js';
import { balanced, type SourceStats } from '../../../src/ingest/stats.js';
import type { KEvent } from '../../../src/model/event.js';
import { corpus, corpusSkip } from '../../helpers/paths.js';

/** A fixed pseudo-random sequence, so a failure shows the same cuts again. */
function cuts(seed: number): () => number {
  let x = seed;
  return () => (x = (x * 1103515245 + 12345) % 2 ** 31);
}

async function oneShot(path: string, display: string): Promise<{ events: KEvent[]; stats: SourceStats }> {
  let seq = 0;
  const run = readSource(
    { input: path, display, hints: {}, referenceTime: 1_700_000_000_000_000 },
    { nextSeq: () => ++seq, batchEvents: 500, onError: (m) => assert.fail(m) },
  );
  const events: KEvent[] = [];
  for await (const batch of run.events) events.push(...batch);
  return { events, stats: run.stats };
}

function pushed(bytes: Buffer, display: string, cut: () => number, maxChunk: number): { events: KEvent[]; stats: SourceStats } {
  let seq = 0;
  const p = new SourcePipeline({ file: display, hints: {}, referenceTime: 1_700_000_000_000_000, nextSeq: () => ++seq });
  const events: KEvent[] = [];
  for (let at = 0; at < bytes.length; ) {
    const n = 1 + (cut() % maxChunk);
    p.pushBytes(bytes.subarray(at, at + n), events);
    at += n;
  }
  p.end(events);
  return { events, stats: p.stats };
}

const CASES: [string, string[]][] = [
  ['CRI (kind pod log)', ['kind-1.32-bundle', 'kind-control-plane', 'pods', 'kube-system_kube-apiserver-kind-control-plane_9566ae975d467746cc50ef4e5d5d0862', 'kube-apiserver', '0.log']],
  ['journald short (kind journal)', ['kind-1.32-bundle', 'kind-control-plane', 'journal.log']],
  ['minikube logs (nested envelopes)', ['minikube-logs', 'minikube_logs.txt']],
  ['compose prefixes', ['compose-logs', 'kube-scheduler.log']],
];

for (const [name, parts] of CASES) {
  test(`${name}: bytes pushed in any cut give the one-shot read's events and accounting`, { skip: corpusSkip() }, async () => {
    const path = corpus(...parts);
    const whole = await oneShot(path, parts.at(-1)!);
    assert.ok(whole.events.length > 10, `${whole.events.length} events`);
    const bytes = readFileSync(path);
    // Tiny cuts split characters and CRLFs; big ones hold many lines.
    for (const [seed, maxChunk] of [[1, 7], [2, 4096], [3, 200_000]] as const) {
      const got = pushed(bytes, parts.at(-1)!, cuts(seed), maxChunk);
      assert.deepEqual(got.events, whole.events, `cut seed ${seed}, chunks up to ${maxChunk} bytes`);
      assert.deepEqual(got.stats, whole.stats);
      assert.ok(balanced(got.stats), JSON.stringify(got.stats));
    }
  });
}

test('events are plain data: a structured clone (what a worker thread posts) is equal', { skip: corpusSkip() }, () => {
  const got = pushed(readFileSync(corpus('minikube-logs', 'minikube_logs.txt')), 'minikube_logs.txt', cuts(9), 65536);
  assert.ok(got.events.length > 100);
  assert.deepEqual(structuredClone(got.events), got.events);
});

test('an EventList is read as a document, or set aside when the caller says so', () => {
  const list = JSON.stringify(
    {
      kind: 'EventList',
      apiVersion: 'v1',
      items: [
        {
          kind: 'Event',
          metadata: { name: 'web-1.17', namespace: 'default' },
          involvedObject: { kind: 'Pod', namespace: 'default', name: 'web-1' },
          reason: 'BackOff',
          message: 'Back-off restarting failed container',
          type: 'Warning',
          lastTimestamp: '2024-03-21T14:51:23Z',
        },
      ],
    },
    null,
    2,
  );
  const bytes = Buffer.from(`${list}\n`);
  const lines = list.split('\n').length;
  for (const documents of [undefined, { setAside: 'not followed' }]) {
    let seq = 0;
    const p = new SourcePipeline({ file: 'events.json', hints: {}, referenceTime: 0, nextSeq: () => ++seq, documents });
    const out: KEvent[] = [];
    p.pushBytes(bytes, out);
    p.end(out);
    assert.equal(p.stats.linesRead, lines);
    assert.ok(balanced(p.stats), JSON.stringify(p.stats));
    if (documents) {
      assert.deepEqual([out.length, p.stats.envelope, p.stats.setAsideReason], [0, 'set-aside', 'not followed']);
    } else {
      assert.deepEqual([out.length, p.stats.envelope, out[0]!.source.format], [1, 'document', 'document/k8s-event']);
      assert.match(out[0]!.message, /Back-off/);
    }
  }
});

test('NUL bytes: a leading run (a crash) and one inside a later line are taken out, counted, and the lines read', () => {
  const good = (n: number): string => `I0321 14:51:23.${String(n).padStart(6, '0')}       1 controller.go:42] "Synced" n=${n}`;
  const text = `\0\0\0\0\0\0${good(1)}\n${good(2)}\n\0\0\0\n${good(3)}\0\0\n`;
  let seq = 0;
  const p = new SourcePipeline({ file: 'kube-scheduler.log', hints: {}, referenceTime: 0, nextSeq: () => ++seq });
  const out: KEvent[] = [];
  p.pushBytes(Buffer.from(text), out);
  p.end(out);
  assert.deepEqual(
    out.map((e) => [e.source.line, e.raw, e.format]),
    [
      [1, good(1), 'klog'],
      [2, good(2), 'klog'],
      [4, good(3), 'klog'],
    ],
  );
  assert.deepEqual([p.stats.linesRead, p.stats.events, p.stats.setAside, p.stats.nulLines], [4, 3, 1, 3]);
  assert.ok(balanced(p.stats));
});
