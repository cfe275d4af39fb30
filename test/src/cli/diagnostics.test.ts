/**
 * File and archive entry names are untrusted: an escape sequence in one must not reach the
 * terminal through ktrail's own messages.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createDiagnostics } from '../../../src/cli/diagnostics.js';
import { cliPath } from '../../helpers/paths.js';

const cli = cliPath();
const EVIL = 'evil\x1b]0;pwned\x07\x1b[2J\r.log';

test('every diagnostic shows control characters in file names and messages as visible stand-ins', (t) => {
  const written: string[] = [];
  t.mock.method(process.stderr, 'write', (chunk: string) => {
    written.push(chunk);
    return true;
  });
  const diag = createDiagnostics({});
  diag.warn(`bundle.tgz`, `refused archive entry "${EVIL}": absolute path`);
  diag.warn(EVIL, `duplicate of ${EVIL}`);
  t.mock.restoreAll();
  assert.equal(diag.count, 2);
  const text = written.join('');
  assert.doesNotMatch(text, /[\x00-\x08\x0b-\x1f\x7f]/);
  assert.equal(text.split('\n').length, 3, 'one line per diagnostic');
  assert.match(text, /^ktrail: bundle\.tgz: refused archive entry "evil␛\]0;pwned␇␛\[2J␍\.log": absolute path$/m);
  assert.match(text, /^ktrail: evil␛\]0;pwned␇␛\[2J␍\.log: duplicate of evil␛/m);
});

test('a file whose name holds escape sequences is named on stderr with them made visible', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-diag-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // A binary file with such a name is set aside and named; a missing one is named too.
  writeFileSync(join(dir, EVIL), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0]));
  const r = spawnSync(process.execPath, [cli, join(dir, EVIL), join(dir, `missing-${EVIL}`)], { encoding: 'utf8' });
  assert.equal(r.status, 1, r.stderr);
  assert.doesNotMatch(r.stderr, /\x1b|\x07|\r/);
  assert.match(r.stderr, /evil␛\]0;pwned␇␛\[2J␍\.log: set aside: binary/);
  assert.match(r.stderr, /missing-evil␛\]0;pwned␇␛\[2J␍\.log: no such file or directory/);
});
