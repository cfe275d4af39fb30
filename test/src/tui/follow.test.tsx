/**
 * Follow mode with the real tailer (src/ingest/follow.ts): lines appended to an ingested file
 * land in the store under that file's source and show up at the end of the view; `f` starts and
 * stops the tailer; quitting stops it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStoreFor } from '../../../src/cli/open-store.js';
import type { Diagnostics } from '../../../src/cli/diagnostics.js';
import { startFollowFeed } from '../../../src/tui/model/follow-feed.js';
import type { LiveFeed } from '../../../src/tui/model/live.js';
import { runTui } from '../../../src/tui/run.js';
import { streams, until } from './fake-terminal.js';

const quiet: Diagnostics = { warn: () => {}, count: 0 };

const klog = (sec: number, msg: string): string => `I0321 14:51:${String(sec).padStart(2, '0')}.000000    1234 kubelet.go:100] "${msg}"\n`;

async function ingestedFolder(): Promise<{ dir: string; file: string; db: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-tui-follow-'));
  mkdirSync(join(dir, 'logs'));
  const file = join(dir, 'logs', 'kubelet.log');
  writeFileSync(file, klog(1, 'first') + klog(2, 'second'));
  const db = join(dir, 'store.db');
  const { store } = await openStoreFor([join(dir, 'logs')], { db }, quiet);
  store.close();
  return { dir, file, db };
}

test('the feed appends what is written to a followed file, under its existing source', async () => {
  const { dir, file, db } = await ingestedFolder();
  const { store } = await openStoreFor([], { db }, quiet);
  const errors: string[] = [];
  const feed = startFollowFeed(store, [join(dir, 'logs')], { onError: (f, m) => errors.push(`${f}: ${m}`) });
  try {
    await feed.ready;
    const reader = store.events;
    assert.equal(reader.count(), 2);
    appendFileSync(file, klog(3, 'third') + klog(4, 'fourth'));
    await until(() => reader.count() === 4, 'the appended events in the store');
    const events = reader.page({ limit: 10 });
    assert.deepEqual(
      events.map((e) => [e.message, e.source.line, e.component]),
      [
        ['first', 1, 'kubelet'],
        ['second', 2, 'kubelet'],
        ['third', 3, 'kubelet'],
        ['fourth', 4, 'kubelet'],
      ],
    );
    assert.equal(new Set(events.map((e) => e.sourceId)).size, 1, 'one source row for the file');
  } finally {
    await feed.stop();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
  assert.deepEqual(errors, []);
});

test('f starts the tailer, the view shows new lines at the end; f stops it; q stops it too', async () => {
  const { dir, file, db } = await ingestedFolder();
  const { store } = await openStoreFor([], { db }, quiet);
  const { stdout, stdin, opts } = streams();
  let started = 0;
  let stopped = 0;
  let current: LiveFeed | undefined;
  const startFeed = (): LiveFeed => {
    started++;
    const feed = startFollowFeed(store, [join(dir, 'logs')], { onError: () => {} });
    current = feed;
    return {
      ready: feed.ready,
      async stop() {
        stopped++;
        await feed.stop();
      },
    };
  };
  const done = runTui(store, { color: false, startFeed, ...opts });
  try {
    await until(() => stdout.written.includes('second'), 'the first screen');
    stdin.type('f');
    await until(() => started === 1 && current !== undefined, 'the tailer to start');
    await current!.ready;
    appendFileSync(file, klog(5, 'appended while following'));
    await until(() => /> {2}14:51:05\.000 .*appended while following/.test(stdout.written), 'the new line, selected at the end');
    stdin.type('f');
    await until(() => stopped === 1, 'the tailer to stop');
    stdin.type('f');
    await until(() => started === 2, 'the tailer to start again');
    stdin.type('q');
    await done;
    assert.equal(stopped, 2, 'quitting stops the running tailer');
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
