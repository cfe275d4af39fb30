/**
 * requireOrSkip: outside CI a missing need skips its tests, naming it; under CI=true it fails the
 * run, naming it. Checked in child processes, as `node --test` runs each file.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { findExecutable, inCi, requireOrSkip } from './require.js';

const child = join(dirname(fileURLToPath(import.meta.url)), 'require-child.js');

function run(ci: string | undefined): { status: number | null; out: string } {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env['CI'];
  delete env['NODE_TEST_CONTEXT']; // else the child thinks it runs inside this test run
  if (ci !== undefined) env['CI'] = ci;
  // --test-reporter=tap: the lines asserted below, whatever the default reporter.
  const r = spawnSync(process.execPath, ['--test', '--test-reporter=tap', child], { encoding: 'utf8', env, timeout: 60_000 });
  return { status: r.status, out: r.stdout + r.stderr };
}

test('outside CI a missing need skips its test and the skip names it', () => {
  const r = run(undefined);
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, /needs the frobnicator # SKIP the frobnicator \/nowhere\/frob is missing \(apt-get install frob\)/);
  assert.match(r.out, /^# skipped 1$/m);
  assert.match(r.out, /^# fail 0$/m);
});

test('under CI=true a missing need fails the run, naming it', () => {
  for (const ci of ['true', '1']) {
    const r = run(ci);
    assert.equal(r.status, 1, r.out);
    assert.match(r.out, /not ok \d+ - CI needs: the frobnicator \/nowhere\/frob is missing/);
    assert.match(r.out, /^# fail 1$/m);
    // The test that needs it does not run (it would throw "ran although...").
    assert.doesNotMatch(r.out, /ran although/);
  }
});

test('CI=false and an empty CI are not CI', () => {
  assert.equal(inCi({ CI: 'false' }), false);
  assert.equal(inCi({ CI: '' }), false);
  assert.equal(inCi({}), false);
  assert.equal(inCi({ CI: 'true' }), true);
});

test('an available need is no skip; executables are found on PATH like `command -v`', () => {
  assert.equal(requireOrSkip('something present', true), false);
  assert.equal(findExecutable('node', [dirname(process.execPath)]) !== undefined, true);
  assert.equal(findExecutable('surely-no-such-tool-ktrail'), undefined);
});
