/**
 * The TUI benchmark (`benchTui`, called from run.ts): on a store of a million events, the time to
 * the first screen, and the time from a key press to the redrawn screen (median of 50 keys of
 * several kinds). Measured in-process with the real model, controller and ink render into a
 * terminal-like stream, and, when tmux is installed, the whole binary in a real terminal.
 *
 * The store holds synthetic events (components, hosts, severities, refs and messages shaped like
 * cluster logs) written with the real writer. It is built once per machine and kept in the temp
 * folder, because writing a million events takes about half a minute and the figures measured
 * are about reading it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLUSTER_COMPONENTS, type KEvent, type Severity } from '../../src/model/event.js';
import { createWriter, openStore } from '../../src/store/writer.js';
import { cliPath } from '../helpers/paths.js';
import { FakeStdin } from '../src/tui/fake-terminal.js';
import { rng } from '../src/store/synthetic.js';

const EVENTS = Number(process.env.BENCH_TUI_EVENTS ?? 1_000_000);

const HOSTS = ['kind-control-plane', 'kind-worker', 'kind-worker2', 'kind-worker3'];
const MESSAGES = [
  'SyncLoop (PLEG): event for pod',
  'Observed pod startup duration',
  'HTTP',
  'Successfully bound pod to node',
  'apply request took too long',
  'Error syncing pod, skipping',
  'Back-off restarting failed container',
  'Updating ready status of node',
  'Started container',
  'Failed to update lease',
];
const T0 = Date.UTC(2025, 2, 21, 14, 0, 0) * 1000;

function severityFor(r: number): Severity {
  if (r < 0.04) return 'debug';
  if (r < 0.9) return 'info';
  if (r < 0.97) return 'warn';
  if (r < 0.999) return 'error';
  return 'fatal';
}

/** Writes `n` events (about 3.6 s of log per thousand events) into a new store at `file`. */
export function writeBenchStore(file: string, n: number): void {
  const store = openStore(file);
  try {
    const writer = createWriter(store, { batchSize: 20_000 });
    const files = HOSTS.flatMap((h) => CLUSTER_COMPONENTS.map((c) => `${h}/${c}.log`));
    const ids = new Map<string, number>();
    for (const f of files) ids.set(f, writer.beginSource({ cluster: '', path: `/bench/${f}`, display: f, size: 1, mtime: 0, fingerprint: f }).id);
    const r = rng(7);
    const lines = new Map<string, number>();
    let time = T0;
    const batch: KEvent[] = [];
    for (let seq = 1; seq <= n; seq++) {
      time += Math.floor(r() * 7_200);
      const host = HOSTS[Math.floor(r() * HOSTS.length)]!;
      const component = CLUSTER_COMPONENTS[Math.floor(r() * CLUSTER_COMPONENTS.length)]!;
      const file = `${host}/${component}.log`;
      const line = (lines.get(file) ?? 0) + 1;
      lines.set(file, line);
      const pod = `web-${Math.floor(r() * 500)}`;
      const message = MESSAGES[Math.floor(r() * MESSAGES.length)]!;
      batch.push({
        seq,
        time,
        component,
        host,
        severity: severityFor(r()),
        message: `${message} pod="default/${pod}"`,
        fields: { pod: `default/${pod}`, took: `${Math.floor(r() * 900)}ms` },
        objects: [{ kind: 'Pod', namespace: 'default', name: pod, via: 'field', key: 'pod' }],
        source: { file, line, endLine: line, format: 'none/klog' },
        raw: `I0321 14:00:00.000000 1 x.go:1] ${message} pod="default/${pod}"`,
        format: 'klog',
      });
      if (batch.length === 20_000) writer.addMergedEvents(batch.splice(0), ids);
    }
    writer.addMergedEvents(batch.splice(0), ids);
    writer.completeSources(files.map((f) => ({ id: ids.get(f)!, stats: undefined })));
    writer.close();
  } finally {
    store.close();
  }
}

/** The path of a store of `n` synthetic events, built on first use. */
function benchStorePath(n: number): string {
  return join(tmpdir(), `ktrail-bench-tui-${n}-v1.db`);
}

export function benchStore(n: number): string {
  const file = benchStorePath(n);
  if (existsSync(file)) return file;
  const partial = `${file}.partial`;
  rmSync(partial, { force: true });
  writeBenchStore(partial, n);
  for (const suffix of ['-wal', '-shm']) rmSync(partial + suffix, { force: true });
  renameSync(partial, file);
  return file;
}

// ---------------------------------------------------------------------------------------------
// Measuring

/** A terminal's output end: records when each write happened. */
class TimedStdout extends EventEmitter {
  isTTY = true;
  columns = 120;
  rows = 40;
  text = '';
  lastWrite = 0;
  /** Times of the writes, for finding the first frame after a moment. */
  writes: number[] = [];
  /** When the title was first drawn: the first screen. */
  titleAt = 0;
  write(data: string, cb?: () => void): boolean {
    this.text += data;
    if (this.text.length > 1 << 20) this.text = this.text.slice(-(1 << 16));
    this.lastWrite = performance.now();
    this.writes.push(this.lastWrite);
    if (!this.titleAt && data.includes('ktrail')) this.titleAt = this.lastWrite;
    cb?.();
    return true;
  }
}

/** ink redirects console.log while it draws: report on the real stdout. */
function report(line: string): void {
  process.stdout.write(line + '\n');
}

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))]!;
}

/**
 * Waits (bounded) for the frame drawn after `since`; returns when it was written. A frame is
 * the writes of one synchronous burst (ink writes it in one go): its last write within 2 ms of
 * the first.
 */
async function frameAfter(out: TimedStdout, since: number): Promise<number> {
  const deadline = Date.now() + 10_000;
  while (out.lastWrite <= since) {
    if (Date.now() > deadline) throw new Error('no frame within 10 s');
    await new Promise((r) => setImmediate(r));
  }
  const first = out.writes.find((t) => t > since)!;
  const last = out.writes.filter((t) => t >= first && t - first < 2).at(-1)!;
  out.writes = out.writes.filter((t) => t > last);
  return last - since;
}

/** The keys pressed, 50 in all: moves, pages, ends, errors and warnings. */
const KEYS: [string, string][] = [
  ...Array.from({ length: 16 }, (): [string, string] => ['j', 'down']),
  ...Array.from({ length: 5 }, (): [string, string] => ['k', 'up']),
  ...Array.from({ length: 10 }, (): [string, string] => ['\x1b[6~', 'page down']),
  ...Array.from({ length: 5 }, (): [string, string] => ['\x1b[5~', 'page up']),
  ['G', 'end'],
  ['g', 'start'],
  ['G', 'end'],
  ['g', 'start'],
  ...Array.from({ length: 4 }, (): [string, string] => ['e', 'next error']),
  ...Array.from({ length: 4 }, (): [string, string] => ['w', 'next warning']),
  ['\r', 'detail pane'],
  ['j', 'down with the pane'],
];

async function inProcess(file: string): Promise<void> {
  // As `ktrail view` loads them: production React, and ink drawing even under CI.
  process.env.NODE_ENV ??= 'production';
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
  const { runTui } = await import('../../src/tui/run.js');
  const out = new TimedStdout();
  const input = new FakeStdin();
  const t0 = performance.now();
  const store = openStore(file);
  const running = runTui(store, { color: true, stdout: out as unknown as NodeJS.WriteStream, stdin: input as unknown as NodeJS.ReadStream });
  const deadline = Date.now() + 30_000;
  while (!out.titleAt) {
    if (Date.now() > deadline) throw new Error('no first screen within 30 s');
    await new Promise((r) => setImmediate(r));
  }
  const first = out.titleAt - t0;
  // The deferred counts and histogram arrive in a later frame.
  const countsDeadline = Date.now() + 60_000;
  while (!/[\d,]+ events/.test(out.text.slice(-20_000).replace(/\x1b\[[0-9;?]*[a-zA-Z]/g, ''))) {
    if (Date.now() > countsDeadline) throw new Error('no counts within 60 s');
    await pause(5);
  }
  const counted = out.lastWrite - t0;
  report(`  first screen (open the store, read a screenful, draw): ${first.toFixed(0)} ms (aim: under 1000 ms)`);
  report(`  counts and histogram drawn (deferred, after the first screen): ${counted.toFixed(0)} ms`);

  const byKind = new Map<string, number[]>();
  const all: number[] = [];
  for (const [key, kind] of KEYS) {
    await pause(60); // idle between keys, as a person types (and past ink's 30 fps throttle)
    const since = performance.now();
    input.type(key);
    const ms = await frameAfter(out, since);
    all.push(ms);
    if (process.env.BENCH_TUI_VERBOSE) report(`    ${kind} ${ms.toFixed(1)}`);
    byKind.set(kind, [...(byKind.get(kind) ?? []), ms]);
  }
  report(
    `  key press to redrawn screen, ${all.length} keys: median ${median(all).toFixed(1)} ms, p90 ${percentile(all, 0.9).toFixed(1)} ms, max ${Math.max(...all).toFixed(1)} ms (aim: median under 100 ms)`,
  );
  report(`    ${[...byKind].map(([k, v]) => `${k} ${median(v).toFixed(1)}`).join(', ')} (median ms)`);
  input.type('q');
  await running;
  store.close();
}

/** The binary in tmux: from the command to the first screen on the terminal. */
async function inTmux(file: string): Promise<void> {
  if (spawnSync('tmux', ['-V']).status !== 0) {
    report('  tmux: not installed (apt-get install tmux to time the binary in a terminal)');
    return;
  }
  const cmd = `${process.execPath} ${cliPath()} view --db ${file}`;
  const socket = `ktrail-bench-${process.pid}`;
  const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  try {
    tmux('new-session', '-d', '-s', 'b', '-x', '120', '-y', '40', 'bash', '--norc', '--noprofile');
    await pause(300);
    const t0 = performance.now();
    tmux('send-keys', '-t', 'b', '-l', '--', cmd);
    tmux('send-keys', '-t', 'b', 'Enter');
    const deadline = Date.now() + 30_000;
    while (!/^> /m.test(tmux('capture-pane', '-p', '-t', 'b'))) {
      if (Date.now() > deadline) throw new Error(`no first screen in tmux within 30 s:\n${tmux('capture-pane', '-p', '-t', 'b')}`);
      await pause(10);
    }
    report(`  the binary in tmux, command to first screen (node start-up included): ${(performance.now() - t0).toFixed(0)} ms`);
    tmux('send-keys', '-t', 'b', 'q');
    await pause(500);
  } finally {
    spawnSync('tmux', ['-L', socket, 'kill-server']);
  }
}

export async function benchTui(): Promise<void> {
  const t = performance.now();
  const fresh = !existsSync(benchStorePath(EVENTS));
  const file = benchStore(EVENTS);
  report(
    `tui: ${EVENTS.toLocaleString('en-US')} events in ${file}${fresh ? ` (built in ${((performance.now() - t) / 1000).toFixed(0)} s)` : ''}, a 120x40 screen`,
  );
  await inProcess(file);
  await inTmux(file);
}
