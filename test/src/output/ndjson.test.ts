/**
 * The NDJSON sink: each line is exactly the event's pino-shaped record, byte for byte what pino
 * itself writes for it (on synthetic events with quotes, escapes and multi-line text, and on real
 * corpus events through the real parsers), and a slow reader makes the sink wait (bounded memory)
 * without changing a byte of what is written.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import pino from 'pino';
import type { KEvent, Severity } from '../../../src/model/event.js';
import { createNdjsonSink, eventJson, eventRecord, ndjsonLine } from '../../../src/output/ndjson.js';
import { createOutputWriter } from '../../../src/output/writer.js';
import { corpus, corpusSkip } from '../../helpers/paths.js';
import { readAll } from '../../helpers/read-events.js';

const SEVERITIES: Severity[] = ['debug', 'info', 'warn', 'error', 'fatal'];

function event(i: number): KEvent {
  return {
    seq: i,
    time: 1_742_568_684_000_000 + i * 1_001,
    ...(i % 3 === 0 ? { timeInferred: 'year' as const } : {}),
    component: i % 2 ? 'kubelet' : 'etcd',
    ...(i % 4 ? { host: `node-${i % 4}` } : {}),
    severity: SEVERITIES[i % SEVERITIES.length]!,
    ...(i % 5 === 0 ? { verbosity: 2 } : {}),
    caller: 'kubelet.go:2468',
    message: i % 7 === 0 ? `multi\nline "quoted" \u001b[31m ${i} ü` : `"SyncLoop UPDATE" ${i}`,
    fields: { pod: `default/web-${i}`, n: i, nested: { a: [1, 'b'] } },
    objects: [{ kind: 'pod', namespace: 'default', name: `web-${i}`, via: 'field', key: 'pod' }],
    source: { file: '/logs/kubelet.log', line: i + 1, endLine: i + 1, format: 'cri' },
    raw: `I0321 14:51:24.000000 raw ${i}`,
    format: 'klog',
    ...(i % 11 === 0 ? { truncated: true } : {}),
  };
}

test('each NDJSON line is the pino-shaped record: level, time, ktrail keys, msg', async () => {
  const chunks: Buffer[] = [];
  const stream = new Writable({ write: (c: Buffer, _e, cb) => (chunks.push(c), cb()) });
  const sink = createNdjsonSink(createOutputWriter(stream));
  const events = Array.from({ length: 50 }, (_, i) => event(i));
  for (const e of events) await sink.write(e);
  await sink.close();
  const lines = Buffer.concat(chunks).toString().split('\n');
  assert.equal(lines.pop(), '', 'output ends with a newline');
  assert.deepEqual(lines, events.map((e) => JSON.stringify(eventJson(e))));
  const first = JSON.parse(lines[1]!) as Record<string, unknown>;
  assert.deepEqual(Object.keys(first).slice(0, 2), ['level', 'time']);
  assert.equal(Object.keys(first).pop(), 'msg');
  assert.equal(first.level, 30);
});

test('a slow reader makes the sink wait for drain; memory stays bounded and the bytes are the same', async () => {
  const received: Buffer[] = [];
  let maxBuffered = 0;
  const stream = new Writable({
    highWaterMark: 16 * 1024,
    write(c: Buffer, _e, cb) {
      received.push(c);
      setTimeout(cb, 1);
    },
  });
  const sink = createNdjsonSink(createOutputWriter(stream));
  let waits = 0;
  let expected = '';
  for (let i = 0; i < 20_000; i++) {
    const e = event(i);
    expected += JSON.stringify(eventJson(e)) + '\n';
    const w = sink.write(e);
    if (w) {
      waits++;
      await w;
    }
    maxBuffered = Math.max(maxBuffered, stream.writableLength);
  }
  await sink.close();
  await new Promise<void>((resolve) => stream.end(resolve));
  assert.ok(waits > 5, `the sink should have waited for the reader (waited ${waits} times)`);
  // The stream never holds more than its high-water mark plus one 64 KiB chunk (and one line).
  assert.ok(maxBuffered < 16 * 1024 + 64 * 1024 + 2048, `stream buffer reached ${maxBuffered} bytes for ${expected.length} chars written`);
  assert.equal(Buffer.concat(received).toString(), expected);
});

/** What pino writes for the event: its record logged at its level with its message. */
function pinoLines(events: KEvent[]): string[] {
  const lines: string[] = [];
  const logger = pino({ level: 'trace', base: null, timestamp: false, messageKey: 'msg' }, { write: (line: string) => lines.push(line) });
  for (const e of events) logger[e.severity](eventRecord(e), e.message);
  return lines;
}

test('each line is byte for byte what pino writes for the event', () => {
  const events = Array.from({ length: 50 }, (_, i) => event(i));
  assert.deepEqual(events.map(ndjsonLine), pinoLines(events));
});

test('real events through the real parsers: the same bytes as pino writes', { skip: corpusSkip() }, async () => {
  for (const dir of ['kind-1.32-bundle', 'openshift-kubelet-journal', 'audit-events', 'coredns-querylog', 'minikube-logs', 'failure-cases']) {
    const { events } = await readAll(corpus(dir));
    assert.ok(events.length > 20, `${dir}: ${events.length} events`);
    const ours = events.map(ndjsonLine);
    const theirs = pinoLines(events);
    const differ = ours.findIndex((l, i) => l !== theirs[i]);
    assert.equal(differ, -1, `${dir}: event ${differ}:\n ours  ${ours[differ]}\n pino  ${theirs[differ]}`);
  }
});
