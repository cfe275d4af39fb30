/**
 * Follow mode on real files in temp folders, with the real watcher (chokidar on inotify). Every
 * test counts lines: each line written ends up in exactly one event's raw text (none lost, none
 * doubled), and each followed stream's accounting balances. Every wait is bounded.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  appendFileSync,
  closeSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { follow, type FollowBatch, type Follower, type FollowOptions } from '../../../src/ingest/follow.js';
import { followIntoStore } from '../../../src/ingest/follow-store.js';
import { alreadyRead } from '../../../src/ingest/follow-copies.js';
import { readSource } from '../../../src/ingest/source-reader.js';
import { balanced } from '../../../src/ingest/stats.js';
import type { KEvent } from '../../../src/model/event.js';
import { openStore } from '../../../src/store/writer.js';
import { corpus, corpusSkip } from '../../helpers/paths.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function waitFor(what: string, cond: () => boolean, ms = 8000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(5);
  }
}

/**
 * Waits until the follower has read `file` up to its size now: what was written is in its hands.
 * Tests wait for this instead of sleeping, so that a loaded machine cannot make a check vacuous.
 */
async function readTo(run: Run, file: string): Promise<void> {
  const size = statSync(file).size;
  await waitFor(`${file} read to byte ${size}`, () => run.follower.sources().some((s) => s.path === file && s.offset >= size));
}

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-follow-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A klog line, unique by n (its microseconds and its message). */
function klog(n: number, text = `"Synced" n=${n}`): string {
  return `I0321 14:51:23.${String(n).padStart(6, '0')}       1 controller.go:42] ${text}`;
}

/** Numbered klog lines to write in batches: lines(count) gives the next count lines, numbered after `from`, and keeps every line given in `written`. */
function klogWriter(from: number): { written: string[]; lines: (count: number) => string } {
  const written: string[] = [];
  let n = from;
  const lines = (count: number): string => {
    let s = '';
    for (let i = 0; i < count; i++) {
      const l = klog(++n);
      written.push(l);
      s += l + '\n';
    }
    return s;
  };
  return { written, lines };
}

/** A CRI record around `payload`. */
function cri(n: number, payload: string, tag: 'F' | 'P' = 'F', stream = 'stderr'): string {
  return `2025-03-21T14:51:23.${String(n).padStart(9, '0')}Z ${stream} ${tag} ${payload}`;
}

interface Run {
  follower: Follower;
  events: KEvent[];
  batches: FollowBatch[];
  errors: string[];
  done: Promise<void>;
}

/** Starts a follower and a consumer that keeps every batch (once `gate` resolves, if given: a stalled consumer). */
async function start(t: { after: (fn: () => Promise<void>) => void }, paths: string[], opts: FollowOptions = {}, gate?: Promise<void>): Promise<Run> {
  const errors: string[] = [];
  const follower = follow(paths, {
    idleMs: 150,
    partialMs: 600,
    graceMs: 300,
    sweepMs: 500,
    onError: (file, message) => errors.push(`${file}: ${message}`),
    ...opts,
  });
  const events: KEvent[] = [];
  const batches: FollowBatch[] = [];
  const done = (async () => {
    await gate;
    for await (const b of follower) {
      batches.push(b);
      for (const e of b.events) events.push(e);
    }
  })();
  t.after(() => follower.close());
  await follower.ready;
  return { follower, events, batches, errors, done };
}

/** A fresh folder holding one empty file `name`, followed from the start. */
async function followNewFile(t: { after: (fn: () => void | Promise<void>) => void }, name: string, opts: FollowOptions = {}): Promise<{ dir: string; file: string; run: Run }> {
  const dir = tempDir(t);
  const file = join(dir, name);
  writeFileSync(file, '');
  return { dir, file, run: await start(t, [dir], opts) };
}

/** Lines accounted for in every stream (events, folded, unrecognized, set aside). */
function accounted(f: Follower): number {
  let n = 0;
  for (const s of f.sources()) n += s.stats.events + s.stats.folded + s.stats.unrecognized + s.stats.setAside;
  return n;
}

/** The physical lines the events hold, sorted. */
function physical(events: readonly KEvent[]): string[] {
  return events.flatMap((e) => e.raw.split('\n')).sort();
}

function assertBalanced(f: Follower): void {
  for (const s of f.sources()) assert.ok(balanced(s.stats), `${s.display} (#${s.id}) balanced: ${JSON.stringify(s.stats)}`);
}

test('CRI P..F and klog trace lines that arrive in separate writes fold as in a one-shot read', async (t) => {
  const dir = tempDir(t);
  const podDir = join(dir, 'pods', 'kube-system_kube-apiserver-cp_0123abcd', 'kube-apiserver');
  mkdirSync(podDir, { recursive: true });
  const run = await start(t, [dir], { idleMs: 400, partialMs: 3000 });
  const file = join(podDir, '0.log');
  const written: string[] = [];
  const write = (lines: string[]): void => {
    written.push(...lines);
    appendFileSync(file, lines.map((l) => l + '\n').join(''));
  };

  write([cri(1, klog(1)), cri(2, klog(2)), cri(3, klog(3))]);
  await waitFor('the first three events', () => run.events.length === 3);

  // A partial record, then its end in a later write: one event of two physical lines.
  write([cri(4, klog(4, '"Long line, first half'), 'P')]);
  await readTo(run, file);
  await sleep(600); // then past idleMs: a P waits for its F, idle does not let it go
  assert.equal(run.events.length, 3);
  write([cri(5, ' second half" n=4')]);
  await waitFor('the joined record', () => run.events.length === 4);
  assert.equal(run.events[3]!.message, 'Long line, first half second half');
  assert.deepEqual([run.events[3]!.source.line, run.events[3]!.source.endLine], [4, 5]);

  // A trace whose continuation lines come in a second write, shortly after its header.
  write([cri(6, klog(6, 'Trace[77]: "List" url:/api/v1/pods (total time: 600ms):'))]);
  await readTo(run, file); // the header is read before its continuation is written
  write([cri(7, 'Trace[77]: ---"Listing from storage done" 590ms'), cri(8, 'Trace[77]: [600ms] [600ms] END')]);
  write([cri(9, klog(9))]);
  await waitFor('every line accounted', () => accounted(run.follower) === written.length && run.events.length === 6);

  const trace = run.events[4]!;
  assert.deepEqual([trace.source.line, trace.source.endLine, trace.format], [6, 8, 'klog']);
  assert.equal(trace.fields.continuation, 'Trace[77]: ---"Listing from storage done" 590ms\nTrace[77]: [600ms] [600ms] END');
  const src = run.follower.sources()[0]!;
  assert.equal(src.display, 'pods/kube-system_kube-apiserver-cp_0123abcd/kube-apiserver/0.log');
  assert.equal(src.stats.envelope, 'cri');
  assert.deepEqual([src.stats.linesRead, src.stats.events, src.stats.folded], [9, 6, 3]);
  assert.deepEqual(physical(run.events), [...written].sort());
  assertBalanced(run.follower);
  // The path names the pod: every event carries its emitter, as a one-shot read gives it.
  assert.deepEqual(run.events[0]!.objects.at(-1), {
    kind: 'Pod',
    namespace: 'kube-system',
    name: 'kube-apiserver-cp',
    uid: '0123abcd',
    via: 'path',
    key: 'emitter',
  });

  // The same file read in one go gives the same events.
  const oneShot: KEvent[] = [];
  let seq = 0;
  const read = readSource(
    { input: file, display: src.display, hints: { pod: { namespace: 'kube-system', name: 'kube-apiserver-cp', uid: '0123abcd', container: 'kube-apiserver' }, component: 'kube-apiserver' } },
    { nextSeq: () => ++seq, batchEvents: 100, onError: () => undefined },
  );
  for await (const batch of read.events) oneShot.push(...batch);
  const shape = (e: KEvent): unknown => [e.source, e.raw, e.message, e.time, e.component, e.severity, e.fields, e.objects];
  assert.deepEqual(run.events.map(shape), oneShot.map(shape));
  assert.deepEqual(run.errors, []);
});

test('a continuation that comes after the idle flush is an event of its own, counted once', async (t) => {
  const dir = tempDir(t);
  const run = await start(t, [dir], { idleMs: 100 });
  const file = join(dir, 'kube-apiserver.log');
  const lines = [klog(1, 'Trace[5]: "Get" url:/api/v1/nodes/a (total time: 700ms):'), 'Trace[5]: ---"About to write a response" 700ms'];
  appendFileSync(file, lines[0] + '\n');
  await waitFor('the header alone', () => run.events.length === 1);
  appendFileSync(file, lines[1] + '\n');
  await waitFor('the late continuation', () => run.events.length === 2 && accounted(run.follower) === 2);
  assert.deepEqual(
    run.events.map((e) => [e.source.line, e.source.endLine, e.raw]),
    [
      [1, 1, lines[0]],
      [2, 2, lines[1]],
    ],
  );
  assertBalanced(run.follower);
});

test('a line without its newline waits for it, and is taken as is after partialMs', async (t) => {
  const dir = tempDir(t);
  // partialMs well above the sleeps below: a loaded machine (two busy processes, 20 runs) stalled
  // the test past a 700 ms partialMs between its checks and took the half line early.
  const run = await start(t, [dir], { idleMs: 100, partialMs: 3000 });
  const file = join(dir, 'etcd.log');
  appendFileSync(file, klog(1) + '\n' + klog(2).slice(0, 20));
  await waitFor('the first line', () => run.events.length === 1);
  await readTo(run, file);
  await sleep(250); // then idle passed: the half line is still held
  assert.equal(run.events.length, 1);
  appendFileSync(file, klog(2).slice(20) + '\n');
  await waitFor('the completed line', () => run.events.length === 2);
  assert.equal(run.events[1]!.raw, klog(2));

  // A writer that never ends its line: taken after partialMs of quiet.
  appendFileSync(file, klog(3));
  await readTo(run, file);
  await sleep(300); // then idle passed, partialMs not yet
  assert.equal(run.events.length, 2);
  await waitFor('the unterminated line', () => run.events.length === 3, 10_000);
  assert.deepEqual([run.events[2]!.raw, run.events[2]!.source.line], [klog(3), 3]);
  assertBalanced(run.follower);
});

test('files present at the start: "end" reads what is appended, with true line numbers; new files are read whole', async (t) => {
  const dir = tempDir(t);
  const old = join(dir, 'kube-scheduler.log');
  writeFileSync(old, `${klog(1)}\n${klog(2)}\n${klog(3).slice(0, 25)}`); // ends inside a line being written
  const run = await start(t, [dir]);
  appendFileSync(old, `${klog(3).slice(25)}\n${klog(4)}\n`);
  // A new pod folder and its log appear while following.
  const podDir = join(dir, 'pods', 'default_web-1_uid-9', 'web');
  mkdirSync(podDir, { recursive: true });
  const fresh = join(podDir, '0.log');
  writeFileSync(fresh, `${cri(1, klog(11))}\n${cri(2, klog(12))}\n`);
  await waitFor('both files', () => run.events.length === 4 && accounted(run.follower) === 4);

  const byFile = (name: string): unknown[] =>
    run.events.filter((e) => e.source.file === name).map((e) => [e.source.line, e.raw, e.component]);
  assert.deepEqual(byFile('kube-scheduler.log'), [
    [3, klog(3), 'kube-scheduler'],
    [4, klog(4), 'kube-scheduler'],
  ]);
  assert.deepEqual(byFile('pods/default_web-1_uid-9/web/0.log'), [
    [1, cri(1, klog(11)), 'other'],
    [2, cri(2, klog(12)), 'other'],
  ]);
  const sched = run.follower.sources().find((s) => s.display === 'kube-scheduler.log')!;
  assert.deepEqual([sched.skippedLines, sched.stats.linesRead], [2, 2]);
  assertBalanced(run.follower);

  // 'start' reads the files present whole, then what is appended.
  const run2 = await start(t, [dir], { start: 'start' });
  appendFileSync(old, `${klog(5)}\n`);
  await waitFor('whole files', () => accounted(run2.follower) === 7 && run2.events.length === 7);
  assert.deepEqual(
    run2.events.filter((e) => e.source.file === 'kube-scheduler.log').map((e) => e.source.line),
    [1, 2, 3, 4, 5],
  );
});

test('a file read from past its start takes its envelope from its first lines, as a one-shot read does', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'kube-controller-manager.log');
  // journald's short form around klog: the envelope is chosen from the lines already there, so the
  // appended ones are not held back waiting for a sample (50 lines, or idleMs).
  const jd = (n: number): string => `Mar 21 14:51:2${n} kind-control-plane kube-controller-manager[812]: ${klog(n)}`;
  writeFileSync(file, `${jd(1)}\n${jd(2)}\n`);
  const run = await start(t, [dir], { idleMs: 5000 });
  appendFileSync(file, `${jd(3)}\n${jd(4)}\n`);
  // The first appended event comes out when the second starts, without waiting for idleMs.
  await waitFor('the first appended event', () => run.events.length === 1, 2000);
  const src = run.follower.sources()[0]!;
  assert.equal(src.stats.envelope, 'journald-short');
  assert.deepEqual([run.events[0]!.raw, run.events[0]!.source.line, run.events[0]!.host], [jd(3), 3, 'kind-control-plane']);
});

test('a containers/ link to a pods/ file is the same stream: read once, under the pods/ name', async (t) => {
  const dir = tempDir(t);
  const podDir = join(dir, 'pods', 'kube-system_coredns-abc_uid-1', 'coredns');
  mkdirSync(podDir, { recursive: true });
  mkdirSync(join(dir, 'containers'));
  const file = join(podDir, '0.log');
  writeFileSync(file, '');
  symlinkSync(file, join(dir, 'containers', `coredns-abc_kube-system_coredns-${'a'.repeat(64)}.log`));
  const run = await start(t, [dir]);
  const written = [1, 2, 3].map((n) => cri(n, `[INFO] 10.244.0.1:5353 - ${n} "A IN web.default.svc. udp 40 false 512" NOERROR qr,aa,rd 98 0.0001s`, 'F', 'stdout'));
  for (const line of written) {
    appendFileSync(file, line + '\n');
    await readTo(run, file); // one read per line
  }
  await waitFor('three lines', () => accounted(run.follower) === 3);
  await sleep(300); // the link's events, if any, come and go
  assert.deepEqual(physical(run.events), [...written].sort());
  assert.deepEqual(
    run.follower.sources().map((s) => [s.display, s.path === file]),
    [['pods/kube-system_coredns-abc_uid-1/coredns/0.log', true]],
  );
  assert.ok(run.events.every((e) => e.component === 'coredns' && e.format === 'coredns'));
});

test('polling instead of inotify reads the same lines', async (t) => {
  const { dir, file, run } = await followNewFile(t, 'kube-proxy.log', { polling: 50 });
  appendFileSync(file, `${klog(1)}\n`);
  appendFileSync(join(dir, 'etcd.log'), `${klog(2)}\n`);
  await waitFor('both lines', () => accounted(run.follower) === 2, 5000);
  assert.deepEqual(physical(run.events), [klog(1), klog(2)].sort());
});

test('rename-and-create: the renamed file is read to its end, the new one from 0, its gzip not again', async (t) => {
  const { dir, file: live, run } = await followNewFile(t, 'kubelet.log');
  const { written, lines } = klogWriter(0);
  // The writer keeps its descriptor across the rename, as a process does until it reopens.
  const fd = openSync(live, 'a');
  writeSync(fd, lines(10));
  await waitFor('the first lines', () => accounted(run.follower) === 10);
  writeSync(fd, lines(5)); // not read yet when the rename happens
  renameSync(live, `${live}.1`);
  writeFileSync(live, lines(5));
  writeSync(fd, lines(3)); // late lines into the renamed file
  closeSync(fd);
  await waitFor('both generations', () => accounted(run.follower) === 23, 5000);
  appendFileSync(live, lines(2));
  await waitFor('the new file growing', () => accounted(run.follower) === 25);

  // logrotate's compress: kubelet.log.1 -> kubelet.log.1.gz, then kubelet.log.1 deleted.
  writeFileSync(`${live}.1.gz`, gzipSync(readFileSync(`${live}.1`)));
  unlinkSync(`${live}.1`);
  await waitFor('the gzip looked at', () => run.follower.sources().some((s) => s.path.endsWith('.gz') && s.state === 'ended'), 5000);
  await run.follower.settled();

  assert.deepEqual(physical(run.events), [...written].sort());
  const sources = run.follower.sources();
  assert.deepEqual(
    sources.map((s) => [s.display, s.path.slice(dir.length + 1), s.stats.linesRead, s.skippedLines]),
    [
      ['kubelet.log', 'kubelet.log.1', 18, 0],
      ['kubelet.log', 'kubelet.log', 7, 0],
      ['kubelet.log.1.gz', 'kubelet.log.1.gz', 0, 18],
    ],
  );
  // Line numbers are each file's own.
  const lineOf = (raw: string): number | undefined => run.events.find((e) => e.raw === raw)?.source.line;
  assert.deepEqual([lineOf(klog(15)), lineOf(klog(16)), lineOf(klog(21)), lineOf(klog(25))], [15, 1, 16, 7]);
  assertBalanced(run.follower);
  assert.deepEqual(run.errors, []);
});

test('a file given by name that does not exist yet is read once it appears, and through its rotation', async (t) => {
  const dir = tempDir(t);
  const live = join(dir, 'kube-apiserver.log');
  const run = await start(t, [live]);
  assert.deepEqual(run.errors, [`${live}: no such file or directory (ENOENT)`]);
  const fd = openSync(live, 'a');
  writeSync(fd, `${klog(1)}\n`);
  await waitFor('the file found', () => accounted(run.follower) === 1, 5000);
  renameSync(live, `${live}.1`);
  writeFileSync(live, `${klog(2)}\n`);
  writeSync(fd, `${klog(3)}\n`); // the writer has not reopened yet
  closeSync(fd);
  await waitFor('both files', () => accounted(run.follower) === 3, 5000);
  assert.deepEqual(physical(run.events), [klog(1), klog(2), klog(3)].sort());
  assert.deepEqual(
    run.follower.sources().map((s) => [s.display, s.stats.linesRead]),
    [
      [live, 2],
      [live, 1],
    ],
  );
  assert.equal(run.errors.length, 1);
});

test('copytruncate: the truncated file is read again from 0, the copy only past what was read', async (t) => {
  const { file: live, run } = await followNewFile(t, 'kube-proxy.log');
  const { written, lines } = klogWriter(100);
  appendFileSync(live, lines(8));
  await waitFor('the first lines', () => accounted(run.follower) === 8);
  // Lines the follower has not read yet are copied, then the file is emptied: they are only in the copy.
  appendFileSync(live, lines(4));
  copyFileSync(live, `${live}.1`);
  truncateSync(live, 0);
  appendFileSync(live, lines(3));
  await waitFor('the new content and the copy', () => accounted(run.follower) === 15, 5000);
  await run.follower.settled(); // the copy is read to its end before its .gz appears
  appendFileSync(live, lines(2));
  writeFileSync(`${live}.1.gz`, gzipSync(readFileSync(`${live}.1`)));
  unlinkSync(`${live}.1`);
  await waitFor('everything', () => accounted(run.follower) === 17 && run.follower.sources().some((s) => s.path.endsWith('.gz') && s.state === 'ended'), 5000);
  await run.follower.settled();

  assert.deepEqual(physical(run.events), [...written].sort());
  const liveSource = run.follower.sources().find((s) => s.path === live)!;
  assert.equal(liveSource.truncations, 1);
  // The copy was read past what the live file had given: 8 to 12 lines, whatever the race.
  const copy = run.follower.sources().find((s) => s.path === `${live}.1`)!;
  assert.ok(copy.skippedLines >= 8 && copy.skippedLines + copy.stats.linesRead === 12, JSON.stringify(copy));
  assert.equal(run.follower.sources().find((s) => s.path.endsWith('.gz'))!.stats.linesRead, 0);
  assertBalanced(run.follower);
});

/**
 * A followed kube-proxy.log that holds klog(1) and the first 30 bytes of klog(2), read, with the
 * half line held (partialMs far off) and no read in flight (it would run beside what follows).
 */
async function halfRead(t: Parameters<typeof tempDir>[0] & Parameters<typeof start>[0]): Promise<{ run: Run; live: string }> {
  const live = join(tempDir(t), 'kube-proxy.log');
  writeFileSync(live, '');
  const run = await start(t, [dirname(live)], { partialMs: 60_000 });
  appendFileSync(live, klog(1) + '\n' + klog(2).slice(0, 30));
  await readTo(run, live);
  await run.follower.settled();
  return { run, live };
}

const truncationSeen = (run: Run, live: string): Promise<void> =>
  waitFor('the truncation seen', () => run.follower.sources().some((s) => s.path === live && s.truncations === 1));

/** Waits for `lines` lines and for live and its copy (.1) to be read to their ends, then closes the follower. */
async function finishWithCopy(run: Run, live: string, lines: number): Promise<void> {
  await waitFor('every line', () => accounted(run.follower) >= lines && run.follower.sources().some((s) => s.path === `${live}.1` && s.state !== 'settling'), 8000);
  await readTo(run, live);
  await readTo(run, `${live}.1`);
  await run.follower.settled();
  await run.follower.close();
  await run.done;
}

test('copytruncate catching a line half read: the rest comes from the copy, joined, each line one event', async (t) => {
  const { run, live } = await halfRead(t);
  const lines = [1, 2, 3, 4, 5, 6].map((i) => klog(i));
  // One synchronous burst (the follower runs in this process, so it cannot start a read in
  // between): the rest of line 2 and two more lines are written, copied to .1, and the file is emptied.
  appendFileSync(live, lines[1]!.slice(30) + '\n' + lines[2] + '\n' + lines[3] + '\n');
  copyFileSync(live, `${live}.1`);
  truncateSync(live, 0);
  await truncationSeen(run, live);
  appendFileSync(live, lines[4] + '\n' + lines[5] + '\n');
  await finishWithCopy(run, live, 6);
  assert.deepEqual(run.events.map((e) => e.raw).sort(), [...lines].sort(), 'each line is exactly one event with its full text');
  assert.ok(!run.events.some((e) => e.truncated), 'nothing is marked cut');
  assert.equal(accounted(run.follower), 6);
  assert.equal(run.follower.sources().find((s) => s.path === live)!.truncations, 1);
  assertBalanced(run.follower);
});

test('copytruncate catching a line half read with no copy to be found: the half read is an event, marked cut', async (t) => {
  const { run, live } = await halfRead(t);
  truncateSync(live, 0);
  await truncationSeen(run, live);
  appendFileSync(live, klog(3) + '\n');
  await waitFor('the new line', () => run.events.some((e) => e.raw === klog(3)));
  await run.follower.close();
  await run.done;
  assert.deepEqual(
    run.events.map((e) => [e.raw, e.truncated === true]),
    [
      [klog(1), false],
      [klog(2).slice(0, 30), true],
      [klog(3), false],
    ],
  );
  assertBalanced(run.follower);
});

test('a copytruncate between the size check and the read: the bytes read across it are not glued onto the held half line', async (t) => {
  const live = join(tempDir(t), 'kube-proxy.log');
  writeFileSync(live, '');
  const lines = [1, 2, 3, 4, 5, 6].map((i) => klog(i));
  const rewrite = [50, 51, 52, 53].map((i) => klog(i, `"Rewritten" n=${i} and text long enough to pass the old offset`));
  // The seam: the live file's handle runs `hook` once, inside the next read past byte 0 (after
  // pump() has checked the size and the file's start), before the bytes are read.
  let hook: (() => void) | undefined;
  const seamed = async (p: string): Promise<FileHandle> => {
    const fh = await open(p, 'r');
    if (p !== live) return fh;
    return new Proxy(fh, {
      get(target, prop) {
        if (prop === 'read') {
          return (buf: Buffer, off: number, len: number, pos: number) => {
            if (hook && pos > 0) {
              const h = hook;
              hook = undefined;
              h();
            }
            return target.read(buf, off, len, pos);
          };
        }
        const v: unknown = Reflect.get(target, prop, target);
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
  };
  const run = await start(t, [dirname(live)], { partialMs: 60_000, openFile: seamed });
  appendFileSync(live, lines[0] + '\n' + lines[1]!.slice(0, 30));
  await readTo(run, live);
  await run.follower.settled();
  const offset = run.follower.sources().find((s) => s.path === live)!.offset;
  // The rest of line 2 and two more lines are appended (the size grows past the offset: a read
  // is due); in the read's window the file is copied to .1, emptied and written again past the offset.
  hook = () => {
    copyFileSync(live, `${live}.1`);
    truncateSync(live, 0);
    appendFileSync(live, rewrite.map((l) => l + '\n').join(''));
    assert.ok(statSync(live).size > offset, 'the new content reaches past the old offset');
  };
  appendFileSync(live, lines[1]!.slice(30) + '\n' + lines[2] + '\n' + lines[3] + '\n');
  await waitFor('the seam to run', () => hook === undefined);
  await finishWithCopy(run, live, 8);
  assert.deepEqual(run.events.map((e) => e.raw).sort(), [...lines.slice(0, 4), ...rewrite].sort(), 'each line is exactly one event with its full text');
  assert.ok(!run.events.some((e) => e.truncated), 'nothing is marked cut');
  assert.equal(run.follower.sources().find((s) => s.path === live)!.truncations, 1);
  assertBalanced(run.follower);
});

test('truncated and written again past the read offset before the follower looks: read again from 0, nothing lost', async (t) => {
  const dir = tempDir(t);
  const live = join(dir, 'kube-proxy.log');
  const first = [1, 2, 3, 4].map((i) => klog(i));
  writeFileSync(live, first.map((l) => l + '\n').join(''));
  const run = await start(t, [dir], { start: 'start' });
  await waitFor('the first lines', () => accounted(run.follower) === 4);
  const offset = run.follower.sources().find((s) => s.path === live)!.offset;
  // The file's start is overwritten with more bytes than were read, in one write: its size never
  // drops below the offset, so only the changed start can tell (what a copytruncate followed by a
  // burst looks like to a follower that missed the moment it was empty).
  const second = [50, 51, 52, 53, 54, 55, 56, 57].map((i) => klog(i, `"Rewritten" n=${i} and some more text to pass the offset`));
  const bytes = Buffer.from(second.map((l) => l + '\n').join(''));
  assert.ok(bytes.length > offset, 'the new content reaches past the old offset');
  const fd = openSync(live, 'r+');
  writeSync(fd, bytes, 0, bytes.length, 0);
  closeSync(fd);
  await waitFor('the rewritten file', () => accounted(run.follower) === 12, 20_000);
  await run.follower.settled();
  assert.deepEqual(physical(run.events), [...first, ...second].sort());
  const src = run.follower.sources().find((s) => s.path === live)!;
  assert.equal(src.truncations, 1);
  assert.deepEqual(
    run.events.slice(4).map((e) => e.source.line),
    [1, 2, 3, 4, 5, 6, 7, 8],
    'the new content is numbered from line 1 again',
  );
  assertBalanced(run.follower);
});

test('a .gz present at the start: read whole with start "start", only remembered (not read) with "end"', async (t) => {
  const dir = tempDir(t);
  const rotated = [1, 2, 3].map((i) => klog(i));
  writeFileSync(join(dir, 'kubelet.log.1.gz'), gzipSync(rotated.map((l) => l + '\n').join('')));
  writeFileSync(join(dir, 'kubelet.log'), `${klog(4)}\n`);

  const whole = await start(t, [dir], { start: 'start' });
  await waitFor('both files whole', () => accounted(whole.follower) === 4 && whole.follower.sources().some((s) => s.path.endsWith('.gz') && s.state === 'ended'));
  assert.deepEqual(
    whole.events.filter((e) => e.source.file.endsWith('.gz')).map((e) => [e.source.line, e.raw, e.component]),
    rotated.map((l, i) => [i + 1, l, 'kubelet']),
  );
  assertBalanced(whole.follower);

  const tail = await start(t, [dir]); // start 'end'
  appendFileSync(join(dir, 'kubelet.log'), `${klog(5)}\n`);
  await waitFor('the appended line', () => tail.events.length === 1);
  await tail.follower.settled();
  assert.equal(tail.events[0]!.raw, klog(5));
  const gz = tail.follower.sources().find((s) => s.path.endsWith('.gz'));
  assert.ok(gz, 'the .gz is known to the follower');
  assert.equal(gz.stats.linesRead, 0, 'a .gz present at the start is history: not read in "end" mode');
  assertBalanced(tail.follower);
});

test('a burst of 100k lines with invalid UTF-8, under backpressure, is read once each', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'kube-controller-manager.log');
  writeFileSync(file, '');
  // The consumer stalls until the whole burst is on disk: the reader must stop at the high-water
  // mark (follow-queue.ts's put waits), not pile up 100k events in memory.
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const highWater = 2000;
  const run = await start(t, [dir], { highWaterEvents: highWater }, gate);
  const total = 100_000;
  const chunk = 10_000;
  for (let from = 0; from < total; from += chunk) {
    let s = '';
    for (let i = from; i < from + chunk; i++) s += klog(i) + '\n';
    appendFileSync(file, s);
  }
  appendFileSync(file, Buffer.concat([Buffer.from(klog(total, 'bad bytes: ')), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(' end\n')]));
  const read = (): number => run.follower.sources().reduce((n, s) => n + s.stats.linesRead, 0);
  await waitFor('the reader to fill the queue past its mark', () => read() > highWater);
  // The reader parks in put() once the queue is past its mark: at most the mark plus one batch
  // (20,000 events at most) is ever read ahead of a stalled consumer.
  const before = read();
  assert.ok(before <= highWater + 20_000, `the reader went on to ${before} lines with no consumer`);
  assert.equal(run.events.length, 0);
  open();
  await waitFor('100k lines', () => accounted(run.follower) === total + 1, 20_000);
  assert.equal(run.events.length, total + 1);
  const seen = new Set(run.events.map((e) => e.raw));
  assert.equal(seen.size, total + 1);
  const last = run.events.at(-1)!;
  assert.equal(last.source.line, total + 1);
  assert.match(last.raw, /bad bytes: \uFFFD+ end$/);
  assert.ok(run.batches.every((b) => b.events.length <= 20_000));
  assertBalanced(run.follower);
});

test('a file that disappears, and one that cannot be opened, are reported and never stop the others', async (t) => {
  const dir = tempDir(t);
  const gone = join(dir, 'gone.log');
  const denied = join(dir, 'denied.log');
  const ok = join(dir, 'ok.log');
  const run = await start(t, [dir], {
    openFile: async (p) => {
      if (p === denied) throw Object.assign(new Error(`EACCES: permission denied, open '${p}'`), { code: 'EACCES' });
      return open(p, 'r');
    },
  });
  appendFileSync(gone, `${klog(1)}\n`);
  appendFileSync(denied, `${klog(2)}\n`);
  await waitFor('the first file', () => run.events.length === 1);
  appendFileSync(gone, `${klog(3)}\n`);
  unlinkSync(gone); // deleted right after a write: the open handle still reads it
  appendFileSync(ok, `${klog(4)}\n`);
  await waitFor('the others', () => run.events.length === 3, 5000);
  await waitFor('the deleted file retired', () => run.follower.sources().find((s) => s.display === 'gone.log')?.state === 'ended');
  assert.deepEqual(physical(run.events), [klog(1), klog(3), klog(4)].sort());
  assert.deepEqual(run.errors, ['denied.log: permission denied (EACCES)']);
  await run.follower.close();
  await run.done;
  assert.ok(run.follower.sources().every((s) => s.state === 'ended'));
});

test('followIntoStore: one source row per stream, ids in arrival order, stats on close', async (t) => {
  const dir = tempDir(t);
  const store = openStore(':memory:');
  t.after(() => store.close());
  const live = join(dir, 'kube-apiserver.log');
  writeFileSync(live, '');
  const errors: string[] = [];
  const follower = follow([dir], { idleMs: 100, graceMs: 300, onError: (f, m) => errors.push(`${f}: ${m}`) });
  t.after(() => follower.close());
  const sink = followIntoStore(follower, store);
  await follower.ready;
  const count = (): number => store.db.prepare('SELECT count(*) FROM events').pluck().get() as number;
  appendFileSync(live, `${klog(1)}\n${klog(2)}\n`);
  await waitFor('two rows', () => count() === 2);
  renameSync(live, `${live}.1`);
  writeFileSync(live, `${klog(3)}\n`);
  appendFileSync(join(dir, 'etcd.log'), `${klog(4)}\n`);
  await waitFor('four rows', () => count() === 4);
  await follower.close();
  const summary = await sink;
  assert.equal(summary.events, 4);
  const sources = store.db.prepare('SELECT id, path, display, complete, stats FROM sources ORDER BY id').all() as {
    id: number;
    path: string;
    display: string;
    complete: number;
    stats: string;
  }[];
  assert.deepEqual(
    sources.map((s) => [s.display, s.complete, JSON.parse(s.stats).linesRead]).sort(),
    [
      ['etcd.log', 1, 1],
      ['kube-apiserver.log', 1, 1],
      ['kube-apiserver.log', 1, 2],
    ],
  );
  assert.ok(sources.every((s) => s.path.includes('#follow:')));
  const rows = store.db.prepare('SELECT id, raw, source_id FROM events ORDER BY id').all() as { id: number; raw: string; source_id: number }[];
  assert.deepEqual(rows.slice(0, 2).map((r) => r.raw), [klog(1), klog(2)]);
  assert.deepEqual(rows.map((r) => r.raw).sort(), [klog(1), klog(2), klog(3), klog(4)].sort());
  assert.deepEqual(errors, []);
});

test('a real CRI log appended in pieces cut anywhere gives the events of a one-shot read', { skip: corpusSkip() }, async (t) => {
  const name = 'kube-system_kube-scheduler-kind-control-plane_e466f1f8e9429967fe50820f5857e823';
  const original = corpus('kind-1.32-bundle', 'kind-control-plane', 'pods', name, 'kube-scheduler', '0.log');
  const bytes = readFileSync(original);
  const dir = tempDir(t);
  const run = await start(t, [dir], { idleMs: 2000, partialMs: 4000 });
  const podDir = join(dir, 'pods', name, 'kube-scheduler');
  mkdirSync(podDir, { recursive: true });
  const file = join(podDir, '0.log');
  // Cuts inside lines, inside the timestamp, right after a "\n": the framing must not care.
  const cuts = [0, 37, 1000, 1001, 4096, 9000, 9050, 13000, bytes.length];
  for (let i = 1; i < cuts.length; i++) {
    appendFileSync(file, bytes.subarray(cuts[i - 1], cuts[i]));
    await readTo(run, file); // each piece is read on its own
  }
  assert.equal(run.follower.sources().length, 1);
  const lines = bytes.toString('utf8').split('\n').length - 1;
  await run.follower.close();
  await run.done;
  assert.equal(accounted(run.follower), lines);

  const oneShot: KEvent[] = [];
  const src = run.follower.sources()[0]!;
  let seq = 0;
  const read = readSource(
    { input: original, display: src.display, hints: { pod: { namespace: 'kube-system', name: 'kube-scheduler-kind-control-plane', uid: 'e466f1f8e9429967fe50820f5857e823', container: 'kube-scheduler' }, component: 'kube-scheduler' }, referenceTime: 0 },
    { nextSeq: () => ++seq, batchEvents: 1000, onError: () => undefined },
  );
  for await (const batch of read.events) oneShot.push(...batch);
  const shape = (e: KEvent): unknown => [e.source, e.raw, e.message, e.time, e.component, e.severity, e.fields, e.objects, e.format];
  assert.ok(oneShot.length > 50);
  assert.deepEqual(run.events.map(shape), oneShot.map(shape));
  assert.deepEqual(
    { ...src.stats, file: '' },
    { ...read.stats, file: '' },
  );
});

test('each of 100 appends to a quiet file gives its event, in order (the latency figure is in npm run bench -- follow)', async (t) => {
  const dir = tempDir(t);
  const run = await start(t, [dir], { idleMs: 30 });
  const file = join(dir, 'kubelet.log');
  for (let i = 1; i <= 100; i++) {
    appendFileSync(file, klog(i) + '\n');
    // The event of a quiet file's last line comes without any further write (after idleMs).
    await waitFor(`event ${i}`, () => run.events.length === i);
    assert.equal(run.events[i - 1]!.source.line, i);
  }
  assert.equal(accounted(run.follower), 100);
  assertBalanced(run.follower);
});

test('a copy is recognized by its start and the bytes read, in the same folder and stream only', () => {
  const head = Buffer.from(`${klog(1)}\n${klog(2)}\n`);
  const print = { dir: '/l', stem: 'kubelet.log', head, bytes: 5000 };
  assert.equal(alreadyRead('/l/kubelet.log.1', head, 7000, [print]), 5000);
  assert.equal(alreadyRead('/l/kubelet.log.1.gz', head, undefined, [print]), 5000);
  // A copy taken before the lines read last: all of it was read.
  assert.equal(alreadyRead('/l/kubelet.log.1', head.subarray(0, 30), 30, [print]), 30);
  assert.equal(alreadyRead('/other/kubelet.log.1', head, 7000, [print]), undefined);
  assert.equal(alreadyRead('/l/etcd.log.1', head, 7000, [print]), undefined);
  assert.equal(alreadyRead('/l/kubelet.log.1', Buffer.from(`${klog(9)}\n`), 7000, [print]), undefined);
  assert.equal(alreadyRead('/l/kubelet.log.1', Buffer.alloc(0), 0, [print]), undefined);
});

/** UTF-16LE bytes of `text`, with a BOM when `bom`. */
function utf16le(text: string, bom = false): Buffer {
  const body = Buffer.from(text, 'utf16le');
  return bom ? Buffer.concat([Buffer.from([0xff, 0xfe]), body]) : body;
}

/** What a one-shot read of `path` gives: each event's line and raw text. */
async function oneShot(path: string, display: string): Promise<unknown[]> {
  let local = 0;
  const run = readSource({ input: path, display, hints: {} }, { nextSeq: () => ++local, batchEvents: 1000, onError: () => undefined });
  const got: unknown[] = [];
  for await (const batch of run.events) for (const e of batch) got.push([e.source.line, e.raw]);
  return got;
}

test('a UTF-16 file is followed as a one-shot read decodes it, from its start or from its end', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'kube-scheduler.log');
  writeFileSync(file, utf16le(`${klog(1, '"Ünïcode" n=1')}\r\n${klog(2)}\r\n`, true));
  const fromStart = await start(t, [dir], { start: 'start' });
  const fromEnd = await start(t, [dir]);
  appendFileSync(file, utf16le(`${klog(3, '"日本" n=3')}\r\n${klog(4)}\r\n`));
  await waitFor('all lines from the start', () => fromStart.events.length === 4 && accounted(fromStart.follower) === 4);
  await waitFor('the appended lines', () => fromEnd.events.length === 2 && accounted(fromEnd.follower) === 2);

  const expected = await oneShot(file, 'kube-scheduler.log');
  assert.equal(expected.length, 4);
  assert.deepEqual(expected[2], [3, klog(3, '"日本" n=3')]);
  const got = (r: Run): unknown[] => r.events.map((e) => [e.source.line, e.raw]);
  assert.deepEqual(got(fromStart), expected);
  assert.deepEqual(got(fromEnd), expected.slice(2));
  assert.equal(fromStart.events[0]!.component, 'kube-scheduler');
  assertBalanced(fromStart.follower);
  assertBalanced(fromEnd.follower);
});

test('a gzip present at the start is read whole with start "start", as a one-shot read reads it', async (t) => {
  const dir = tempDir(t);
  const gz = join(dir, 'kube-apiserver.log.1.gz');
  const text = `${klog(1)}\n${klog(2)}\n\n${klog(3, '"Multi" n=3')}\n  continued\n`;
  writeFileSync(gz, gzipSync(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])));
  const run = await start(t, [dir], { start: 'start' });
  await waitFor('the gzip', () => accounted(run.follower) === 5);
  assert.deepEqual(
    run.events.map((e) => [e.source.line, e.raw]),
    await oneShot(gz, 'kube-apiserver.log.1.gz'),
  );
  assert.equal(run.events.length, 3);
  assertBalanced(run.follower);
});

test('a UTF-16 file followed from its end counts its lines by whole "\\n" code units (U+0A0A is no line end)', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'kube-scheduler.log');
  // U+0A0A is 0a 0a in UTF-16LE: two 0a bytes, no line end.
  writeFileSync(file, utf16le(`${klog(1, '"ਊਊ" n=1')}\n${klog(2, '"ਊ" n=2')}\n`, true));
  const run = await start(t, [dir]);
  appendFileSync(file, utf16le(`${klog(3, '"ਊ" n=3')}\n`));
  await waitFor('the appended line', () => run.events.length === 1 && accounted(run.follower) === 1);
  const src = run.follower.sources()[0]!;
  assert.deepEqual([src.skippedLines, run.events[0]!.source.line, run.events[0]!.raw], [2, 3, klog(3, '"ਊ" n=3')]);
  assertBalanced(run.follower);
});
