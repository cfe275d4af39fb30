import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { cacheDir, defaultDbPath } from '../../../src/store/location.js';

const dir = mkdtempSync(join(tmpdir(), 'ktrail-location-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const env = { XDG_CACHE_HOME: '/var/cache/me' };

test('the cache folder follows XDG_CACHE_HOME, else ~/.cache', () => {
  assert.equal(cacheDir(env), '/var/cache/me/ktrail');
  assert.equal(cacheDir({}), join(homedir(), '.cache', 'ktrail'));
  assert.equal(cacheDir({ XDG_CACHE_HOME: 'relative' }), join(homedir(), '.cache', 'ktrail'), 'XDG says: ignore relative paths');
});

test('defaultDbPath: same inputs, same name; any change, another name', async () => {
  const a = join(dir, 'a.log');
  const bundle = join(dir, 'bundle');
  mkdirSync(join(bundle, 'node1'), { recursive: true });
  writeFileSync(a, 'one\n');
  writeFileSync(join(bundle, 'node1', 'kubelet.log'), 'x\n');

  const first = await defaultDbPath([a, bundle], env);
  assert.match(first, /^\/var\/cache\/me\/ktrail\/[0-9a-f]{24}\.db$/);
  assert.equal(await defaultDbPath([bundle, a], env), first, 'order does not matter');
  assert.equal(await defaultDbPath([bundle, join(dir, '.', 'a.log'), a], env), first, 'paths are resolved');
  assert.notEqual(await defaultDbPath([a], env), first);

  appendFileSync(join(bundle, 'node1', 'kubelet.log'), 'y\n');
  const grown = await defaultDbPath([a, bundle], env);
  assert.notEqual(grown, first, 'a file inside a directory grew');

  writeFileSync(join(bundle, 'node1', 'proxy.log'), '');
  assert.notEqual(await defaultDbPath([a, bundle], env), grown, 'a file appeared');
  assert.notEqual(await defaultDbPath([join(dir, 'missing.log')], env), await defaultDbPath([join(dir, 'other.log')], env));
  await assert.rejects(defaultDbPath([], env), /stdin has no default store \(pass --db\)/);
});
