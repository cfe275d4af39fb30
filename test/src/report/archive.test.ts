import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createWriteStream, existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import tarStream from 'tar-stream';
import { checkEntryPath } from '../../../src/report/archive/entry-path.js';
import { archiveKind, extractArchive, type RefusedEntry } from '../../../src/report/archive/extract.js';
import { buildZip } from './zip-writer.js';

test('entry names: only relative paths below the folder are written', () => {
  const table: [string, string][] = [
    ['kind-worker/kubelet.log', 'ok kind-worker/kubelet.log'],
    ['./a/./b.log', 'ok a/b.log'],
    ['a//b.log', 'ok a/b.log'],
    ['a\\b.log', 'ok a/b.log'],
    ['..', 'path escapes the extraction folder (..)'],
    ['../escape.log', 'path escapes the extraction folder (..)'],
    ['a/../../escape.log', 'path escapes the extraction folder (..)'],
    ['a/../b.log', 'path escapes the extraction folder (..)'], // refused even when it would stay inside: no archive needs it
    ['a\\..\\..\\x', 'path escapes the extraction folder (..)'],
    ['/etc/passwd', 'absolute path'],
    ['\\\\server\\share\\x', 'absolute path'],
    ['C:\\Windows\\x', 'path with a drive letter'],
    ['c:x', 'path with a drive letter'],
    ['', 'empty path'],
    ['./', 'empty path'],
    ['a\0b', 'the name holds a NUL byte'],
  ];
  for (const [name, want] of table) {
    const r = checkEntryPath(name);
    assert.equal(r.ok ? `ok ${r.relative}` : r.reason, want, JSON.stringify(name));
  }
});

test('archive kinds come from the file name', () => {
  assert.equal(archiveKind('logs.tar.gz'), 'tar.gz');
  assert.equal(archiveKind('LOGS.TGZ'), 'tar.gz');
  assert.equal(archiveKind('x.tar'), 'tar');
  assert.equal(archiveKind('x.zip'), 'zip');
  assert.equal(archiveKind('kubelet.log.gz'), undefined);
  assert.equal(archiveKind('kubelet.log'), undefined);
});

const LOG = 'I0321 14:51:13.000000    1234 kubelet.go:100] "Starting kubelet"\n';
const BOMB_BYTES = 200 * 1024 * 1024;

/** Writes a tar (gzipped or not) entry by entry; `bomb` streams that many zero bytes. */
async function writeTar(
  file: string,
  gzip: boolean,
  entries: ({ name: string; body?: string; type?: 'symlink' | 'link'; linkname?: string } | { name: string; zeros: number })[],
): Promise<void> {
  const pack = tarStream.pack();
  const out = gzip ? pipeline(pack, createGzip(), createWriteStream(file)) : pipeline(pack, createWriteStream(file));
  for (const e of entries) {
    if ('zeros' in e) {
      await new Promise<void>((resolve, reject) => {
        const sink = pack.entry({ name: e.name, size: e.zeros }, (err) => (err ? reject(err) : resolve()));
        const chunk = Buffer.alloc(1024 * 1024);
        let left = e.zeros;
        const pump = (): void => {
          while (left > 0) {
            const n = Math.min(left, chunk.length);
            left -= n;
            if (!sink.write(n === chunk.length ? chunk : chunk.subarray(0, n))) {
              sink.once('drain', pump);
              return;
            }
          }
          (sink as NodeJS.WritableStream).end();
        };
        pump();
      });
    } else if (e.type) {
      pack.entry({ name: e.name, type: e.type, linkname: e.linkname });
    } else {
      pack.entry({ name: e.name }, e.body ?? LOG);
    }
  }
  pack.finalize();
  await out;
}

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((d) => (d.isDirectory() ? listFiles(join(dir, d.name), `${prefix}${d.name}/`) : [`${prefix}${d.name}`]))
    .sort();
}

test('a hostile tar.gz: escapes, absolute paths, links and a compression bomb are refused by name, the rest extracted', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ktrail-archive-'));
  try {
    const file = join(dir, 'logs.tar.gz');
    const started = Date.now();
    await writeTar(file, true, [
      { name: 'bundle/kind-worker/kubelet.log' },
      { name: '../escape.log' },
      { name: `/${dir.slice(1)}/absolute.log` },
      { name: 'bundle/link.log', type: 'symlink', linkname: '/etc/passwd' },
      { name: 'bundle/hard.log', type: 'link', linkname: 'bundle/kind-worker/kubelet.log' },
      { name: 'bundle/zeros.log', zeros: BOMB_BYTES },
      { name: 'bundle/kind-worker2/kubelet.log' },
    ]);
    const refused: RefusedEntry[] = [];
    const into = join(dir, 'out', 'archive');
    const result = await extractArchive(file, 'tar.gz', into, { onRefuse: (r) => refused.push(r) });

    assert.deepEqual(listFiles(into), ['bundle/kind-worker/kubelet.log', 'bundle/kind-worker2/kubelet.log']);
    assert.equal(readFileSync(join(into, 'bundle/kind-worker2/kubelet.log'), 'utf8'), LOG);
    assert.deepEqual(
      refused.map((r) => r.entry),
      ['../escape.log', `/${dir.slice(1)}/absolute.log`, 'bundle/link.log', 'bundle/hard.log', 'bundle/zeros.log'],
    );
    assert.deepEqual(result.refused, refused);
    const reasons = Object.fromEntries(refused.map((r) => [r.entry, r.reason]));
    assert.equal(reasons['../escape.log'], 'path escapes the extraction folder (..)');
    assert.equal(reasons[`/${dir.slice(1)}/absolute.log`], 'absolute path');
    assert.equal(reasons['bundle/link.log'], 'symbolic link to /etc/passwd set aside: links are neither followed nor created');
    assert.equal(reasons['bundle/hard.log'], 'hard link to bundle/kind-worker/kubelet.log set aside: links are neither followed nor created');
    assert.match(reasons['bundle/zeros.log']!, /^compression ratio over 200:1 \(16(\.\d)? MiB from (at most 64 KiB|[\d.]+ KiB)\): a compression bomb\?$/);
    assert.equal(result.files, 2);
    assert.equal(result.stopped, undefined);
    // Nothing landed outside the extraction folder.
    assert.equal(existsSync(join(dir, 'out', 'escape.log')), false);
    assert.equal(existsSync(join(dir, 'absolute.log')), false);
    assert.ok(Date.now() - started < 30_000, 'the bomb is read through in seconds');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('tar limits: an entry over the size limit is refused from its header; too many entries stop the reading, the ones read are kept', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ktrail-archive-'));
  try {
    const file = join(dir, 'logs.tar');
    await writeTar(file, false, [{ name: 'a.log' }, { name: 'big.log', body: 'x'.repeat(5000) }, { name: 'b.log' }, { name: 'c.log' }]);
    const result = await extractArchive(file, 'tar', join(dir, 'x'), { limits: { maxEntryBytes: 4096, maxEntries: 3 } });
    assert.deepEqual(listFiles(join(dir, 'x')), ['a.log', 'b.log']);
    assert.deepEqual(result.refused, [{ entry: 'big.log', reason: '4.9 KiB is over the 4 KiB limit per entry' }]);
    assert.equal(result.stopped, 'more than 3 entries: the entries after "c.log" were not read');

    const total = await extractArchive(file, 'tar', join(dir, 'y'), { limits: { maxTotalBytes: LOG.length * 2 + 10 } });
    assert.deepEqual(listFiles(join(dir, 'y')), ['a.log', 'b.log']);
    assert.deepEqual(
      total.refused.map((r) => `${r.entry}: ${r.reason}`),
      [`big.log: the archive's extracted bytes would pass the ${LOG.length * 2 + 10} B limit`, `c.log: the archive's extracted bytes would pass the ${LOG.length * 2 + 10} B limit`],
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a truncated tar.gz: the entries before the damage are kept and the cause is said', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ktrail-archive-'));
  try {
    const file = join(dir, 'logs.tgz');
    await writeTar(file, true, [{ name: 'a.log' }, { name: 'b.log', body: 'y'.repeat(200_000) }]);
    const whole = await readFile(file);
    await writeFile(file, whole.subarray(0, Math.floor(whole.length * 0.6)));
    const result = await extractArchive(file, 'tar.gz', join(dir, 'x'));
    assert.ok(listFiles(join(dir, 'x')).includes('a.log'));
    assert.match(result.stopped ?? '', /^the archive is damaged or unreadable past this point: /);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a hostile zip: escapes, absolute paths, drive letters, links and a bomb are refused by name, the rest extracted', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ktrail-archive-'));
  try {
    const file = join(dir, 'logs.zip');
    await writeFile(
      file,
      buildZip([
        { name: 'bundle/kind-worker/kubelet.log', data: Buffer.from(LOG), deflate: true },
        { name: '../escape.log', data: Buffer.from(LOG) },
        { name: '/absolute.log', data: Buffer.from(LOG) },
        { name: 'C:/drive.log', data: Buffer.from(LOG) },
        { name: 'bundle/link.log', data: Buffer.from('/etc/passwd'), mode: 0o120777 },
        { name: 'bundle/zeros.log', data: Buffer.alloc(32 * 1024 * 1024), deflate: true },
        { name: 'bundle/kind-worker2/kubelet.log', data: Buffer.from(LOG) },
      ]),
    );
    const refused: RefusedEntry[] = [];
    const into = join(dir, 'x');
    const result = await extractArchive(file, 'zip', into, { onRefuse: (r) => refused.push(r) });
    assert.deepEqual(listFiles(into), ['bundle/kind-worker/kubelet.log', 'bundle/kind-worker2/kubelet.log']);
    assert.equal(readFileSync(join(into, 'bundle/kind-worker/kubelet.log'), 'utf8'), LOG);
    assert.deepEqual(
      refused.map((r) => `${r.entry}: ${r.reason}`),
      [
        '../escape.log: path escapes the extraction folder (..)',
        '/absolute.log: absolute path',
        'C:/drive.log: path with a drive letter',
        'bundle/link.log: symbolic link set aside: links are neither followed nor created',
        `bundle/zeros.log: compression ratio ${Math.round((32 * 1024 * 1024) / buildZipDeflatedSize())}:1 is over 200:1: a compression bomb?`,
      ],
    );
    assert.equal(result.stopped, undefined);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

/** The deflated size of 32 MiB of zeros, as the zip above stores it. */
function buildZipDeflatedSize(): number {
  const zip = buildZip([{ name: 'z', data: Buffer.alloc(32 * 1024 * 1024), deflate: true }]);
  return zip.readUInt32LE(18);
}

test('not an archive at all: the reading stops at once with the cause', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ktrail-archive-'));
  try {
    await writeFile(join(dir, 'a.zip'), 'this is not a zip file');
    const zip = await extractArchive(join(dir, 'a.zip'), 'zip', join(dir, 'x')).catch((e: Error) => e);
    assert.ok(zip instanceof Error, 'yauzl refuses to open it');
    await writeFile(join(dir, 'a.tgz'), 'this is not gzip');
    const tgz = await extractArchive(join(dir, 'a.tgz'), 'tar.gz', join(dir, 'y'));
    assert.equal(tgz.files, 0);
    assert.match(tgz.stopped ?? '', /^the archive is damaged or unreadable past this point: incorrect header check$/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a zip with two entries of one name keeps both: the second never silently replaces the first', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ktrail-archive-'));
  try {
    const file = join(dir, 'logs.zip');
    const healthy = 'I0321 14:51:23.000000       1 server.go:1] healthy\n';
    const failing = 'E0321 14:52:00.000000       1 kubelet.go:2] "Error syncing pod, skipping" err="failed"\n';
    await writeFile(
      file,
      buildZip([
        { name: 'node/kubelet.log', data: Buffer.from(healthy) },
        { name: 'node/kubelet.log', data: Buffer.from(failing), deflate: true },
        { name: 'node/kubelet.log', data: Buffer.from(failing) },
      ]),
    );
    const renamed: { entry: string; keptAs: string }[] = [];
    const into = join(dir, 'x');
    const result = await extractArchive(file, 'zip', into, { onRename: (r) => renamed.push(r) });
    assert.deepEqual(listFiles(into), ['node/kubelet.log', 'node/kubelet~2.log', 'node/kubelet~3.log']);
    assert.equal(readFileSync(join(into, 'node/kubelet.log'), 'utf8'), healthy);
    assert.equal(readFileSync(join(into, 'node/kubelet~2.log'), 'utf8'), failing);
    assert.deepEqual(renamed, [
      { entry: 'node/kubelet.log', keptAs: 'node/kubelet~2.log' },
      { entry: 'node/kubelet.log', keptAs: 'node/kubelet~3.log' },
    ]);
    assert.deepEqual(result.renamed, renamed);
    assert.deepEqual(result.refused, []);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
