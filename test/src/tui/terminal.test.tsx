/**
 * Terminal hygiene off the happy path: an exception while handling a key, an uncaught exception,
 * a signal. Each must leave the alternate screen, show the cursor and end raw mode.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { runTui } from '../../../src/tui/run.js';
import { repoRoot } from '../../helpers/paths.js';
import { fixtureStore } from './fixture.js';

const LEAVE = '\x1b[?25h\x1b[?1049l';
const ENTER = '\x1b[?1049h\x1b[?25l';

/** A terminal's two ends, as far as ink and terminal.ts use them. */
class FakeStdout extends EventEmitter {
  isTTY = true;
  columns = 100;
  rows = 30;
  written = '';
  write(data: string, cb?: () => void): boolean {
    this.written += data;
    cb?.();
    return true;
  }
}

class FakeStdin extends EventEmitter {
  isTTY = true;
  rawModes: boolean[] = [];
  private queued: string | null = null;
  setRawMode(on: boolean): this {
    this.rawModes.push(on);
    return this;
  }
  setEncoding(): this {
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
  resume(): this {
    return this;
  }
  pause(): this {
    return this;
  }
  read(): string | null {
    const q = this.queued;
    this.queued = null;
    return q;
  }
  type(data: string): void {
    this.queued = data;
    this.emit('readable');
  }
}

test('an exception while handling a key: runTui rejects with it, and the terminal is restored first', async () => {
  const store = fixtureStore();
  const stdout = new FakeStdout();
  const stdin = new FakeStdin();
  const done = runTui(store, { color: false, stdout: stdout as unknown as NodeJS.WriteStream, stdin: stdin as unknown as NodeJS.ReadStream });
  const deadline = Date.now() + 5000;
  while (!stdout.written.includes('background 0')) {
    assert.ok(Date.now() < deadline, 'the first screen never came');
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.ok(stdout.written.startsWith(ENTER));
  // The store goes away under the view: the next read throws.
  store.close();
  stdin.type('G');
  await assert.rejects(done, /database connection is not open/);
  assert.ok(stdout.written.endsWith(LEAVE), JSON.stringify(stdout.written.slice(-40)));
  assert.equal(stdin.rawModes.at(-1), false);
  assert.deepEqual(
    process.listeners('SIGTERM').filter((l) => l.name === 'onSignal'),
    [],
    'its signal handlers are gone',
  );
});

/** Runs a script that enters full screen and then ends badly; returns its status and output. */
function ending(how: string): { status: number | null; stdout: string; stderr: string } {
  const terminal = join(repoRoot, 'dist', 'src', 'tui', 'terminal.js');
  const script = `
    const { enterFullScreen } = await import(${JSON.stringify(terminal)});
    enterFullScreen({ stdout: process.stdout, stdin: process.stdin });
    setInterval(() => {}, 1000);
    ${how}
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 10_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('an uncaught exception restores the terminal, reports, and exits 70', () => {
  const r = ending(`setTimeout(() => { throw new Error('boom'); }, 10);`);
  assert.equal(r.status, 70);
  assert.equal(r.stdout, ENTER + LEAVE);
  assert.match(r.stderr, /^ktrail view: Error: boom/);
});

test('SIGINT and SIGTERM restore the terminal and exit 128 + the signal', () => {
  const int = ending(`setTimeout(() => process.kill(process.pid, 'SIGINT'), 10);`);
  assert.equal(int.status, 130);
  assert.equal(int.stdout, ENTER + LEAVE);
  const term = ending(`setTimeout(() => process.kill(process.pid, 'SIGTERM'), 10);`);
  assert.equal(term.status, 143);
  assert.equal(term.stdout, ENTER + LEAVE);
});

test('a normal exit restores it once', () => {
  const r = ending(`setTimeout(() => process.exit(0), 10);`);
  assert.equal(r.status, 0);
  assert.equal(r.stdout, ENTER + LEAVE);
});
