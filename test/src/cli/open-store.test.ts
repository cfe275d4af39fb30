/**
 * A pipe given as a path (`-`, /dev/stdin, <(cmd)) goes into an in-memory store, as a pipe on
 * stdin does: it has no fingerprint, so a cache file keyed by its name would pile up every run's
 * lines.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../../helpers/paths.js';

const cli = join(repoRoot, 'dist', 'src', 'cli', 'main.js');
const LINE = 'I0321 14:51:23.000001       1 controller.go:42] "Synced"';

test('`-`, /dev/stdin and <(cmd) are read into an in-memory store, never a cache file', (t) => {
  const cache = mkdtempSync(join(tmpdir(), 'ktrail-cache-'));
  t.after(() => rmSync(cache, { recursive: true, force: true }));
  for (const input of ['-', '/dev/stdin', '<(echo "$LINE")', '-']) {
    const r = spawnSync('bash', ['-c', `echo "$LINE" | "$NODE" "$CLI" sql 'SELECT count(*) AS n FROM events' ${input}`], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, LINE, NODE: process.execPath, CLI: cli, XDG_CACHE_HOME: cache },
    });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n'), ['n', '1'], `${input}: ${r.stdout}`);
  }
  assert.equal(existsSync(join(cache, 'ktrail')), false);
});
