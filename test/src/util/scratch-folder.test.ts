/**
 * Scratch folders (src/util/scratch-folder.ts): named with their process's id; removed by their
 * owner, at exit, and (when asked) on an ending signal; a folder whose process was killed outright
 * is removed by the next one made beside it, and nothing else is.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { makeScratchFolder, removeScratchFolder, staleScratchFolders } from '../../../src/util/scratch-folder.js';

const MODULE = fileURLToPath(new URL('../../../src/util/scratch-folder.js', import.meta.url));
const PREFIX = '.ktrail-test-scratch-';

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-scratch-folder-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A pid that no process holds now: a child that has exited (and been reaped). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

/** A child process that makes a scratch folder in `parent`, prints its path, then waits. */
function childWithFolder(parent: string, options: string): { child: ReturnType<typeof spawn>; folder: Promise<string> } {
  const code = `import(${JSON.stringify(MODULE)}).then((m) => { process.stdout.write(m.makeScratchFolder(${JSON.stringify(parent)}, ${JSON.stringify(PREFIX)}, ${options}) + '\\n'); setInterval(() => {}, 1000); });`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const folder = new Promise<string>((resolve) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.endsWith('\n')) resolve(out.trim());
    });
  });
  return { child, folder };
}

function exited(child: ReturnType<typeof spawn>): Promise<NodeJS.Signals | null> {
  return new Promise((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
}

test('makeScratchFolder: <prefix><pid>-XXXXXX in the folder given, private; removeScratchFolder removes it', (t) => {
  const parent = tempDir(t);
  const dir = makeScratchFolder(parent, PREFIX);
  assert.match(basename(dir), new RegExp(`^${PREFIX.replaceAll('.', '\\.')}${process.pid}-\\w{6}$`));
  writeFileSync(join(dir, 'x'), 'y');
  const other = makeScratchFolder(parent, PREFIX);
  assert.notEqual(other, dir, 'each call its own folder');
  assert.ok(existsSync(dir), 'a live process\'s folder (this one\'s) is not swept');
  removeScratchFolder(dir);
  removeScratchFolder(other);
  assert.deepEqual(readdirSync(parent), []);
});

test('staleScratchFolders: only folders of this prefix named by a pid that no process holds', (t) => {
  const parent = tempDir(t);
  const dead = deadPid();
  const sleeper = spawn('sleep', ['30']);
  t.after(() => sleeper.kill());
  const names = [
    `${PREFIX}${dead}-abcdef`, // killed: stale
    `${PREFIX}${sleeper.pid}-abcdef`, // alive: in use
    `${PREFIX}${process.pid}-abcdef`, // this process's own
    `${PREFIX}Xy12ab`, // no pid in its name (the first spill's form): not provably ours to remove
    `other-${dead}-abcdef`, // another prefix
  ];
  for (const n of names) mkdirSync(join(parent, n));
  assert.deepEqual(staleScratchFolders(parent, PREFIX), [join(parent, names[0]!)]);
  assert.deepEqual(staleScratchFolders(join(parent, 'missing'), PREFIX), [], 'a missing folder has nothing stale');
  const made = makeScratchFolder(parent, PREFIX);
  assert.deepEqual(readdirSync(parent).sort(), [...names.slice(1), basename(made)].sort(), 'the stale one is removed, with its files');
  removeScratchFolder(made);
});

test('a process killed outright leaves its folder; the next folder made beside it removes it', async (t) => {
  const parent = tempDir(t);
  const { child, folder } = childWithFolder(parent, '{}');
  const left = await folder;
  assert.ok(existsSync(left));
  const end = exited(child);
  child.kill('SIGKILL');
  assert.equal(await end, 'SIGKILL');
  assert.ok(existsSync(left), 'nothing ran at SIGKILL');
  const mine = makeScratchFolder(parent, PREFIX);
  assert.ok(!existsSync(left), 'swept by the next one');
  removeScratchFolder(mine);
});

test('removed at exit; on SIGTERM only when asked, and the process still dies by the signal', async (t) => {
  const parent = tempDir(t);
  for (const [options, removed] of [
    ['{ removeOnSignals: true }', true],
    ['{}', false],
  ] as const) {
    const { child, folder } = childWithFolder(parent, options);
    const dir = await folder;
    const end = exited(child);
    child.kill('SIGTERM');
    assert.equal(await end, 'SIGTERM', `${options}: died by the signal`);
    assert.equal(!existsSync(dir), removed, `${options}: removed on SIGTERM: ${removed}`);
    rmSync(dir, { recursive: true, force: true });
  }
  const code = `import(${JSON.stringify(MODULE)}).then((m) => { process.stdout.write(m.makeScratchFolder(${JSON.stringify(parent)}, ${JSON.stringify(PREFIX)})); process.exit(3); });`;
  const r = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8' });
  assert.equal(r.status, 3);
  assert.ok(r.stdout.includes(PREFIX), r.stdout);
  assert.ok(!existsSync(r.stdout), 'process.exit removes it');
});

test('withDefaultSignals: a signal during a synchronous phase ends the process at once, and the folder is swept later', async (t) => {
  const parent = tempDir(t);
  const code =
    `import(${JSON.stringify(MODULE)}).then((m) => { const dir = m.makeScratchFolder(${JSON.stringify(parent)}, ${JSON.stringify(PREFIX)}, { removeOnSignals: true });` +
    ` const busy = () => { process.stdout.write(dir + '\\n'); const t0 = Date.now(); while (Date.now() - t0 < 20000); };` +
    ` if (process.argv[1] === 'wrapped') m.withDefaultSignals(busy); else busy(); process.stdout.write('finished\\n'); });`;
  for (const mode of ['wrapped', 'bare']) {
    const child = spawn(process.execPath, ['-e', code, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    while (!out.includes('\n')) await new Promise((r) => setTimeout(r, 20));
    const t0 = Date.now();
    const end = exited(child);
    child.kill('SIGINT');
    if (mode === 'bare') {
      // The listener waits for the busy loop: still running a second later (then stopped by hand).
      const early = await Promise.race([end.then(() => 'ended'), new Promise((r) => setTimeout(() => r('running'), 1000))]);
      assert.equal(early, 'running', 'a listener holds the signal back: what withDefaultSignals is for');
      child.kill('SIGKILL');
      await end;
      continue;
    }
    assert.equal(await end, 'SIGINT');
    assert.ok(Date.now() - t0 < 10_000, `ended in ${Date.now() - t0} ms, not after the 20 s phase`);
    assert.ok(!out.includes('finished'));
    const dir = out.trim();
    assert.ok(existsSync(dir), 'left by the signal');
    const next = makeScratchFolder(parent, PREFIX);
    assert.ok(!existsSync(dir), 'swept by the next one');
    removeScratchFolder(next);
  }
});
