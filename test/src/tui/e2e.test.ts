/**
 * End to end: the real binary in a real terminal (tmux, 100x30) on a simulated bundle. Open the
 * view, filter, open a timeline, open the incident list, quit; then check the shell got its
 * terminal back (prompt, main screen, cooked mode). A second run is ended by SIGTERM and must
 * leave the terminal just as clean. Every wait is bounded.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath } from '../../helpers/paths.js';
import { needTmux } from '../../helpers/require.js';
import { waitForFrame } from '../../helpers/screen-wait.js';

// Without tmux the tests skip naming it, or fail the run under CI (test/helpers/require.ts).
const tmuxNeed = needTmux();

const main = cliPath();
const socket = `ktrail-e2e-${process.pid}`;
const PROMPT = 'READY$';
let dir = '';
let db = '';

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8', timeout: 10_000 });
}

function screen(): string {
  return tmux('capture-pane', '-p', '-t', 'e2e');
}

/** The screen once `check` holds and the frame is fully drawn (test/helpers/screen-wait.ts). */
function waitFor(check: (s: string) => boolean, what: string, ms = 15_000): Promise<string> {
  return waitForFrame(screen, check, what, ms);
}

/** Keys by tmux name (Enter, Escape...) or, with literal, text as typed. */
function keys(text: string, literal = false): void {
  tmux('send-keys', '-t', 'e2e', ...(literal ? ['-l', '--', text] : [text]));
}

function viewCommand(): string {
  return `node ${main} view --db ${db}`;
}

const lastLine = (s: string): string => s.trimEnd().split('\n').at(-1) ?? '';

before(() => {
  if (tmuxNeed.skip) return;
  dir = mkdtempSync(join(tmpdir(), 'ktrail-tui-e2e-'));
  db = join(dir, 'store.db');
  execFileSync(process.execPath, [main, 'sim', '--scenario', 'mixed', '--seed', '1', '--out', dir], { stdio: 'ignore', timeout: 300_000 }); // a bound, generous for a loaded machine
  execFileSync(process.execPath, [main, 'ingest', join(dir, 'bundle'), '--db', db], { stdio: 'ignore', timeout: 300_000 }); // a bound, generous for a loaded machine
  assert.ok(existsSync(db));
  // A plain shell with a prompt we can recognise, in a terminal of known size.
  tmux('new-session', '-d', '-s', 'e2e', '-x', '100', '-y', '30', 'env', `PS1=${PROMPT} `, 'TERM=xterm-256color', 'bash', '--norc', '--noprofile');
  tmux('set-option', '-t', 'e2e', 'status', 'off');
});

test('demo (npm start): opens on the incident list', async () => {
  keys('clear', true);
  keys('Enter');
  await waitFor((s) => lastLine(s).startsWith(PROMPT), 'the prompt');
  keys(`node ${main} demo`, true);
  keys('Enter');
  const s = await waitFor((x) => /^incidents \(\d+\)/m.test(x) && /^ktrail demo: mixed {2}[\d,]+ events {2}\d+ incidents/m.test(x), 'the incident list', 120_000);
  assert.match(s, /crashloop|image-pull-backoff/);
  keys('q');
  await waitFor((x) => lastLine(x) === PROMPT && !/incidents \(/.test(x), 'the prompt after q', 30_000);
});

after(() => {
  if (!tmuxNeed.skip) spawnSync('tmux', ['-L', socket, 'kill-server']);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('view: open, filter, timeline, incidents, quit; the terminal is restored', { skip: tmuxNeed.skip }, async () => {
  await waitFor((s) => lastLine(s).startsWith(PROMPT), 'the shell prompt');
  keys(viewCommand(), true);
  keys('Enter');
  // A complete first screen: the counts are in (they are drawn after the rows).
  let s = await waitFor((x) => /^ktrail store\.db {2}[\d,]+ events {2}\d+ incidents \(i\) {2}[\d,]+ errors {2}[\d,]+ warnings/m.test(x) && /^> /m.test(x), 'the first screen', 30_000);
  assert.equal(tmux('display-message', '-p', '-t', 'e2e', '#{alternate_on}').trim(), '1', 'drawn on the alternate screen');
  // It names what was found, and marks when on the histogram.
  assert.match(lastLine(s), /^\d+ incidents found: i lists them/);
  assert.match(tmux('capture-pane', '-p', '-e', '-t', 'e2e').split('\n')[1]!, /\x1b\[45m/, 'incident spans on the histogram');
  keys('k');
  await waitFor((x) => /\?:help {2}q:quit/.test(x), 'the keys');

  keys('/');
  keys('{component="kubelet"} |= "Back-off"', true);
  await waitFor((x) => /^filter \/ \{component="kubelet"\} \|= "Back-off"$/m.test(x), 'the typed filter');
  keys('Enter');
  const rowsOf = (x: string): string[] => x.split('\n').filter((l) => /^[> ][ *] \d\d:\d\d:\d\d\.\d{3} /.test(l));
  s = await waitFor((x) => /^ktrail store\.db {2}[\d,]+ events .* {2}filter \{component="kubelet"\} \|=/m.test(x) && rowsOf(x).length > 0, 'the filtered list');
  const rows = rowsOf(s);
  assert.ok(rows.length > 0, s);
  assert.ok(rows.every((r) => / kubelet +[DIWEF] /.test(r)), s);

  keys('t');
  s = await waitFor((x) => /^timeline pod\/[a-z-]+\/[a-z0-9-]+ {2}uid [0-9a-f-]{36} {2}\d+ steps/m.test(x) && /^owned by replicaset\//m.test(x), 'the object timeline');
  assert.match(s, /^owned by replicaset\/.* ‹ deployment\//m);
  keys('Escape');
  await waitFor((x) => !/^timeline /m.test(x), 'back to the list');
  keys('i');
  s = await waitFor((x) => /^incidents \(\d+\)/m.test(x) && /crashloop/.test(x) && /image-pull-backoff/.test(x), 'the incident list');
  assert.match(s, /crashloop/);
  assert.match(s, /image-pull-backoff/);
  keys('Enter');
  s = await waitFor((x) => /^incident \d+ /m.test(x) && /^evidence \(\d+ events/m.test(x), 'an incident');
  assert.match(s, /^evidence \(\d+ events/m);

  keys('q');
  // A fresh, empty prompt: the command line itself also starts with the prompt, and matching it
  // raced with the view's last moments (raw mode still on while it closes the store).
  await waitFor((x) => lastLine(x) === PROMPT && !/incident/.test(x), 'the prompt after q');
  assert.equal(tmux('display-message', '-p', '-t', 'e2e', '#{alternate_on}').trim(), '0', 'back on the main screen');
  // The terminal is in cooked mode again: stty says icanon and echo.
  keys('clear; stty -a | tr " " "\\n" | grep -xE -- "-?(icanon|echo)" | tr "\\n" " "; echo', true);
  keys('Enter');
  s = await waitFor((x) => /icanon echo/.test(x) || /-icanon|-echo/.test(x), 'the terminal modes');
  assert.match(s, /^icanon echo$/m);
});

test('view: SIGTERM restores the terminal too', { skip: tmuxNeed.skip }, async () => {
  keys('clear', true);
  keys('Enter');
  await waitFor((s) => lastLine(s).startsWith(PROMPT), 'the prompt');
  keys(viewCommand(), true);
  keys('Enter');
  await waitFor((x) => /^ktrail store\.db {2}[\d,]+ events/m.test(x), 'the first screen', 30_000);
  const shell = tmux('display-message', '-p', '-t', 'e2e', '#{pane_pid}').trim();
  const child = execFileSync('pgrep', ['-P', shell], { encoding: 'utf8' }).trim().split('\n')[0]!;
  process.kill(Number(child), 'SIGTERM');
  await waitFor((x) => lastLine(x) === PROMPT && !/^ktrail store\.db/m.test(x), 'the prompt after SIGTERM');
  assert.equal(tmux('display-message', '-p', '-t', 'e2e', '#{alternate_on}').trim(), '0');
  keys('st=$?; clear; echo "status $st"; stty -a | tr " " "\\n" | grep -xE -- "-?(icanon|echo)" | tr "\\n" " "; echo', true);
  keys('Enter');
  const s = await waitFor((x) => /^status \d+$/m.test(x) && /(icanon|echo)$/m.test(x), 'the exit status and modes');
  assert.match(s, /^status 143$/m, '128 + SIGTERM');
  assert.match(s, /^icanon echo$/m);
});
