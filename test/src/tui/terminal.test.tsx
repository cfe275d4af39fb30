/**
 * Terminal hygiene off the happy path: an exception while handling a key, an uncaught exception,
 * a signal. Each must leave the alternate screen, show the cursor and end raw mode.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { runTui } from '../../../src/tui/run.js';
import { repoRoot } from '../../helpers/paths.js';
import { fixtureStore } from './fixture.js';
import { streams, until } from './fake-terminal.js';

const LEAVE = '\x1b[?25h\x1b[?1049l';
const ENTER = '\x1b[?1049h\x1b[?25l';

test('an exception while handling a key: runTui rejects with it, and the terminal is restored first', async () => {
  const store = fixtureStore();
  const { stdout, stdin, opts } = streams();
  const done = runTui(store, { color: false, ...opts });
  await until(() => stdout.written.includes('background 0'), 'the first screen');
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
