import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import type { Line } from '../../../parsers/types.js';
import { corpusDir, corpusSkip } from '../../helpers/paths.js';
import {
  ByteFramer,
  LineFramer,
  countPlainLines,
  cutToBytes,
  describeError,
  readHead,
  readLines,
  readLinesReversed,
  type FramingOptions,
} from '../../../src/ingest/framing.js';

/** A stream that hands out `bytes` in pieces of `size` (1 splits every multibyte character). */
function chunked(bytes: Buffer, size: number): Readable {
  const pieces: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) pieces.push(bytes.subarray(i, i + size));
  return Readable.from(pieces, { objectMode: false });
}

async function collect(gen: AsyncGenerator<Line[]>): Promise<{ lines: Line[]; batches: number }> {
  const lines: Line[] = [];
  let batches = 0;
  for await (const batch of gen) {
    batches++;
    lines.push(...batch);
  }
  return { lines, batches };
}

async function linesOf(input: Readable | string, opts: FramingOptions = {}): Promise<{ lines: Line[]; errors: string[] }> {
  const errors: string[] = [];
  const { lines } = await collect(readLines(input, { ...opts, onError: (m) => errors.push(m) }));
  return { lines, errors };
}

async function reversedOf(path: string, opts: FramingOptions = {}): Promise<{ lines: Line[]; errors: string[] }> {
  const errors: string[] = [];
  const { lines } = await collect(readLinesReversed(path, { ...opts, onError: (m) => errors.push(m) }));
  return { lines, errors };
}

/** Short form of the expected lines: text, or [text, truncated]. */
type Expected = Array<string | [string, true]>;

function expand(expected: Expected): Line[] {
  return expected.map((e, i) => (typeof e === 'string' ? { text: e, no: i + 1 } : { text: e[0], no: i + 1, truncated: true }));
}

function utf16le(text: string, bom = true): Buffer {
  return Buffer.concat([bom ? Buffer.from([0xff, 0xfe]) : Buffer.alloc(0), Buffer.from(text, 'utf16le')]);
}

function utf16be(text: string): Buffer {
  const le = Buffer.from(text, 'utf16le');
  return Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(le).swap16()]);
}

const CASES: Array<{ name: string; bytes: Buffer; expected: Expected; max?: number }> = [
  { name: 'empty file', bytes: Buffer.alloc(0), expected: [] },
  { name: 'one empty line', bytes: Buffer.from('\n'), expected: [''] },
  { name: 'blank lines kept, numbered', bytes: Buffer.from('a\n\n\nb\n'), expected: ['a', '', '', 'b'] },
  { name: 'no final newline', bytes: Buffer.from('first\nlast'), expected: ['first', 'last'] },
  { name: 'CRLF stripped', bytes: Buffer.from('I0321 a\r\nI0321 b\r\n'), expected: ['I0321 a', 'I0321 b'] },
  { name: 'lone CR stays', bytes: Buffer.from('a\rb\nc\r'), expected: ['a\rb', 'c\r'] },
  { name: 'CR CR LF: only one CR belongs to the terminator', bytes: Buffer.from('a\r\r\n'), expected: ['a\r'] },
  { name: 'UTF-8 BOM stripped', bytes: Buffer.from('\ufeffMar 21 x\nsecond\n'), expected: ['Mar 21 x', 'second'] },
  { name: 'BOM only', bytes: Buffer.from([0xef, 0xbb, 0xbf]), expected: [] },
  { name: 'a second U+FEFF is content', bytes: Buffer.from('\ufeff\ufeffx\n'), expected: ['\ufeffx'] },
  {
    name: 'multibyte characters (2, 3, 4 bytes)',
    bytes: Buffer.from('caf\u00e9 \u2014 \u{1f600}\n\u00e9t\u00e9\n'),
    expected: ['caf\u00e9 \u2014 \u{1f600}', '\u00e9t\u00e9'],
  },
  {
    name: 'invalid UTF-8 becomes U+FFFD',
    bytes: Buffer.from([0x61, 0xff, 0x62, 0x0a, 0xc3, 0x0a, 0xe2, 0x82, 0x0a, 0x63, 0x0a]),
    expected: ['a\ufffdb', '\ufffd', '\ufffd', 'c'],
  },
  { name: 'truncated multibyte at end of file', bytes: Buffer.from([0x78, 0xe2, 0x82]), expected: ['x\ufffd'] },
  { name: 'UTF-16LE with BOM and CRLF', bytes: utf16le('E0523 one\r\nI0523 t\u00e9o\r\n'), expected: ['E0523 one', 'I0523 t\u00e9o'] },
  { name: 'UTF-16LE, no final newline', bytes: utf16le('a\nb'), expected: ['a', 'b'] },
  { name: 'UTF-16BE with BOM', bytes: utf16be('x\ny \u2014\n'), expected: ['x', 'y \u2014'] },
  { name: 'gzip', bytes: gzipSync(Buffer.from('one\ntwo\nthree\n')), expected: ['one', 'two', 'three'] },
  { name: 'gzip of UTF-16LE', bytes: gzipSync(utf16le('a\r\nb\r\n')), expected: ['a', 'b'] },
  {
    name: 'concatenated gzip members',
    bytes: Buffer.concat([gzipSync(Buffer.from('a\nb')), gzipSync(Buffer.from('c\n'))]),
    expected: ['a', 'bc'],
  },
  { name: 'gzip magic inside text is text', bytes: Buffer.from('x\x1f\x8b\x08\n'), expected: ['x\x1f\x8b\x08'] },
  { name: 'long line cut to the limit', bytes: Buffer.from('abcdefghij\nshort\n'), max: 4, expected: [['abcd', true], ['shor', true]] },
  { name: 'line exactly at the limit is whole', bytes: Buffer.from('abcd\nab\n'), max: 4, expected: ['abcd', 'ab'] },
  { name: 'CRLF does not count towards the limit', bytes: Buffer.from('abcd\r\n'), max: 4, expected: ['abcd'] },
  {
    name: 'cut never splits a character',
    bytes: Buffer.from('ab\u00e9\u00e9\nab\u{1f600}\n'),
    max: 4,
    expected: [['ab\u00e9', true], ['ab', true]],
  },
  { name: 'cut final line without newline', bytes: Buffer.from('ok\n0123456789'), max: 5, expected: ['ok', ['01234', true]] },
  { name: 'cut line followed by lines', bytes: Buffer.from('x\n' + 'y'.repeat(50) + '\r\nz\n'), max: 8, expected: ['x', ['yyyyyyyy', true], 'z'] },
];

for (const c of CASES) {
  test(`readLines: ${c.name}, whatever the chunking`, async () => {
    const expected = expand(c.expected);
    for (const size of [1, 2, 3, 7, 1 << 20]) {
      const { lines, errors } = await linesOf(chunked(c.bytes, size), { maxLineBytes: c.max });
      assert.deepEqual(lines, expected, `chunks of ${size}`);
      assert.deepEqual(errors, []);
    }
  });
}

test('readLines and readLinesReversed agree on files (same lines, same numbers, reversed)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ktrail-framing-'));
  try {
    for (const [i, c] of CASES.entries()) {
      const path = join(dir, `case-${i}.log`);
      await writeFile(path, c.bytes);
      const expected = expand(c.expected);
      const forward = await linesOf(path, { maxLineBytes: c.max });
      assert.deepEqual(forward, { lines: expected, errors: [] }, `${c.name} (forward)`);
      const backward = await reversedOf(path, { maxLineBytes: c.max });
      assert.deepEqual(backward, { lines: [...expected].reverse(), errors: [] }, `${c.name} (reversed)`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('truncated gzip: every line decoded so far, then one error, no throw', async () => {
  const text = Array.from({ length: 20000 }, (_, i) => `line ${i} ${'z'.repeat(i % 37)}`).join('\n') + '\n';
  const gz = gzipSync(Buffer.from(text));
  const cut = gz.subarray(0, Math.floor(gz.length * 0.8));
  const { lines, errors } = await linesOf(chunked(cut, 4096));
  assert.deepEqual(errors, ['gzip: unexpected end of file']);
  assert.ok(lines.length > 10000 && lines.length < 20000, `got ${lines.length} lines`);
  // Every line but the last (possibly cut mid-line by the damage) is intact and in place.
  for (const l of lines.slice(0, -1)) assert.equal(l.text, `line ${l.no - 1} ${'z'.repeat((l.no - 1) % 37)}`);
  assert.ok(`line ${lines.length - 1} ${'z'.repeat((lines.length - 1) % 37)}`.startsWith(lines.at(-1)!.text));

  const dir = await mkdtemp(join(tmpdir(), 'ktrail-framing-'));
  try {
    const path = join(dir, 'kube-proxy.log.2.gz');
    await writeFile(path, cut);
    const back = await reversedOf(path);
    assert.deepEqual(back.errors, ['gzip: unexpected end of file']);
    assert.deepEqual(back.lines, [...lines].reverse());
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('corrupt gzip (bad deflate data) is reported, not thrown', async () => {
  const gz = Buffer.from(gzipSync(Buffer.from('hello\n'.repeat(100))));
  gz.fill(0xff, 10, 30);
  const { lines, errors } = await linesOf(chunked(gz, 16));
  assert.equal(errors.length, 1);
  assert.match(errors[0]!, /^gzip: /);
  assert.ok(lines.every((l) => l.text === 'hello'));
});

test('read errors are reported with their cause, after the lines already read', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ktrail-framing-'));
  try {
    assert.deepEqual(await linesOf(join(dir, 'missing.log')), { lines: [], errors: ['no such file or directory (ENOENT)'] });
    assert.deepEqual(await linesOf(dir), { lines: [], errors: ['illegal operation on a directory (EISDIR)'] });
    assert.deepEqual(await reversedOf(join(dir, 'missing.log')), { lines: [], errors: ['no such file or directory (ENOENT)'] });
    assert.deepEqual(await reversedOf(dir), { lines: [], errors: ['illegal operation on a directory (EISDIR)'] });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  // Root reads anything, so a permission failure mid-read is simulated by the stream itself.
  let reads = 0;
  const failing = new Readable({
    read() {
      if (reads++ === 0) this.push('kept 1\nkept 2\npartial');
      else this.destroy(Object.assign(new Error("EACCES: permission denied, read '/var/log/x.log'"), { code: 'EACCES' }));
    },
  });
  assert.deepEqual(await linesOf(failing), {
    lines: [
      { text: 'kept 1', no: 1 },
      { text: 'kept 2', no: 2 },
      { text: 'partial', no: 3 },
    ],
    errors: ['permission denied (EACCES)'],
  });
});

test('describeError: system, zlib and plain errors', () => {
  const sys = Object.assign(new Error("EACCES: permission denied, scandir '/a/b, c'"), { code: 'EACCES' });
  assert.equal(describeError(sys), 'permission denied (EACCES)');
  assert.equal(describeError(Object.assign(new Error('unexpected end of file'), { code: 'Z_BUF_ERROR' })), 'gzip: unexpected end of file');
  assert.equal(describeError(new Error('boom')), 'boom');
  assert.equal(describeError('text'), 'text');
});

test('batches: one per chunk for files, capped at batchLines', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ktrail-framing-'));
  try {
    const path = join(dir, 'many.log');
    await writeFile(path, Array.from({ length: 10000 }, (_, i) => `l${i}`).join('\n'));
    const { lines, batches } = await collect(readLines(path, { batchLines: 1000 }));
    assert.equal(lines.length, 10000);
    assert.equal(batches, 10);
    assert.deepEqual(lines.at(-1), { text: 'l9999', no: 10000 });
    const back = await collect(readLinesReversed(path, { batchLines: 1000 }));
    assert.equal(back.batches, 10);
    assert.deepEqual(back.lines[0], { text: 'l9999', no: 10000 });
    assert.deepEqual(back.lines.at(-1), { text: 'l0', no: 1 });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  // A stream (stdin, `kubectl logs -f`) passes lines on chunk by chunk, without waiting for more.
  const live = await collect(readLines(Readable.from([Buffer.from('a\nb\n'), Buffer.from('c\n')], { objectMode: false })));
  assert.equal(live.batches, 2);
  const capped = await collect(
    readLines(Readable.from([Buffer.from('1\n2\n3\n4\n5\n'), Buffer.from('6\n')], { objectMode: false }), { batchLines: 2 }),
  );
  assert.deepEqual(capped.batches, 4); // [1,2] [3,4] [5] then [6]: nothing waits for more input
});

test('a file is decoded a batch of lines at a time: the same lines whatever the encoding, reads and batches', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ktrail-framing-'));
  try {
    // Multibyte characters, CRLF, an empty line, NULs, a line over the limit, and U+0A0A, whose
    // UTF-16 units hold 0a bytes that are no line end.
    const text = Array.from({ length: 300 }, (_, i) => (i % 7 === 0 ? `\u0a0aé${i}\r` : i % 11 === 0 ? '' : i % 13 === 0 ? `x\0${i}` : i % 97 === 0 ? 'z'.repeat(90) : `ligne ${i} ✓ 😀`)).join('\n');
    const want = text.split('\n').map((t, i) => ({ no: i + 1, t: t.endsWith('\r') ? t.slice(0, -1) : t }));
    for (const [name, bytes] of [
      ['utf8.log', Buffer.from(text, 'utf8')],
      ['utf16le.log', utf16le(text)],
      ['utf16be.log', utf16be(text)],
      ['gz.log', gzipSync(Buffer.from(text, 'utf8'))],
    ] as const) {
      const path = join(dir, name);
      await writeFile(path, bytes);
      for (const [batchLines, readChunk] of [[1, 7], [3, 64], [16, 1000], [1000, 1 << 20]] as const) {
        const { lines, batches } = await collect(readLines(path, { batchLines, readChunk, maxLineBytes: 64 }));
        const got = lines.map((l) => ({ no: l.no, t: l.text }));
        const expected = want.map(({ no, t }) => {
          const clean = t.replace(/\0/g, '');
          return { no, t: Buffer.byteLength(clean) > 64 ? cutToBytes(clean, 64) : clean };
        });
        assert.deepEqual(got, expected, `${name}, ${batchLines} lines a batch, ${readChunk}-byte reads`);
        assert.ok(lines.some((l) => l.truncated) && lines.some((l) => l.nuls === 1), name);
        // Whole batches but the last, however the reads fell.
        assert.equal(batches, Math.ceil(lines.length / batchLines), `${name}: ${batchLines}`);
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('LineFramer holds at most the limit plus one chunk of a 10 MiB line', () => {
  const max = 256 * 1024;
  const chunk = 'a'.repeat(64 * 1024);
  const framer = new LineFramer(max);
  const out: Line[] = [];
  let peak = 0;
  framer.push('before\n', out);
  for (let sent = 0; sent < 10 * 1024 * 1024; sent += chunk.length) {
    framer.push(chunk, out);
    peak = Math.max(peak, framer.bufferedLength);
  }
  framer.push('tail of the long line\nafter\n', out);
  framer.end(out);
  assert.ok(peak <= max + chunk.length, `held ${peak} units`);
  assert.deepEqual(
    out.map((l) => [l.no, l.text.length, l.truncated ?? false]),
    [
      [1, 6, false],
      [2, max, true],
      [3, 5, false],
    ],
  );
});

test('a 256 MiB line streams through in bounded memory', async () => {
  const piece = Buffer.alloc(1024 * 1024, 'x');
  const total = 256;
  let sent = 0;
  let peak = 0;
  const base = process.memoryUsage();
  const baseline = base.heapUsed + base.arrayBuffers;
  const source = new Readable({
    read() {
      const m = process.memoryUsage();
      peak = Math.max(peak, m.heapUsed + m.arrayBuffers - baseline);
      if (sent < total) {
        sent++;
        this.push(piece);
      } else if (sent === total) {
        sent++;
        this.push('\nnext\n');
      } else this.push(null);
    },
  });
  const { lines } = await linesOf(source);
  assert.deepEqual(
    lines.map((l) => [l.no, l.text.length, l.truncated ?? false]),
    [
      [1, 1024 * 1024, true],
      [2, 4, false],
    ],
  );
  // Holding the line would take 256 MiB; garbage not yet collected can take a few dozen.
  assert.ok(peak < 96 * 1024 * 1024, `peak growth ${Math.round(peak / 1048576)} MiB`);
});

test('readLinesReversed: lines longer than a read chunk, cut, keep their numbers', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ktrail-framing-'));
  try {
    const lines: string[] = [];
    for (let i = 0; i < 3000; i++) {
      if (i === 700) lines.push('L'.repeat(600 * 1024)); // longer than the 256 KiB backward chunk
      else if (i === 1500) lines.push('\u00e9'.repeat(3000) + '\r'); // 2-byte characters over the limit
      else lines.push(`${i} ${'m'.repeat((i * 131) % 400)}${i % 5 === 0 ? '\r' : ''}`);
    }
    const text = lines.join('\n');
    const path = join(dir, 'journal-r.log');
    await writeFile(path, text);
    const opts = { maxLineBytes: 5000 };
    const forward = await linesOf(path, opts);
    assert.equal(forward.lines.length, 3000);
    assert.deepEqual(forward.lines[700], { text: 'L'.repeat(5000), no: 701, truncated: true });
    assert.deepEqual(forward.lines[1500], { text: '\u00e9'.repeat(2500), no: 1501, truncated: true });
    const backward = await reversedOf(path, opts);
    assert.deepEqual(backward, { lines: [...forward.lines].reverse(), errors: [] });

    // gzip and UTF-16 go through a temporary UTF-8 file and give the same lines.
    await writeFile(join(dir, 'journal-r.log.gz'), gzipSync(Buffer.from(text)));
    assert.deepEqual(await reversedOf(join(dir, 'journal-r.log.gz'), opts), backward);
    await writeFile(join(dir, 'journal-r-utf16.log'), utf16le(text));
    assert.deepEqual(await reversedOf(join(dir, 'journal-r-utf16.log'), opts), backward);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('readLinesReversed: the consumer may stop early; temporary files are removed', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ktrail-framing-'));
  try {
    const path = join(dir, 'j.log.gz');
    await writeFile(path, gzipSync(Buffer.from(Array.from({ length: 50000 }, (_, i) => `n${i + 1}`).join('\n'))));
    const before = await tempEntries();
    for await (const batch of readLinesReversed(path, { batchLines: 100 })) {
      assert.deepEqual(batch[0], { text: 'n50000', no: 50000 });
      break;
    }
    assert.deepEqual(await tempEntries(), before);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

async function tempEntries(): Promise<string[]> {
  const { readdir } = await import('node:fs/promises');
  return (await readdir(tmpdir())).filter((n) => n.startsWith('ktrail-reverse-')).sort();
}

test('readHead: gzip is found by its bytes, not its name; encoding from the BOM', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ktrail-framing-'));
  try {
    await mkdir(join(dir, 'sub'));
    await writeFile(join(dir, 'sub', 'plain.gz'), 'not gzip at all\n');
    await writeFile(join(dir, 'sub', 'kubelet.log'), gzipSync(utf16le('I0101 x\n')));
    const plain = await readHead(join(dir, 'sub', 'plain.gz'));
    assert.deepEqual([plain.gzip, plain.encoding, plain.bytes.toString()], [false, 'utf-8', 'not gzip at all\n']);
    const zipped = await readHead(join(dir, 'sub', 'kubelet.log'), 4);
    assert.deepEqual([zipped.gzip, zipped.encoding, [...zipped.bytes]], [true, 'utf-16le', [0xff, 0xfe, 0x49, 0x00]]);
    assert.deepEqual(await linesOf(join(dir, 'sub', 'plain.gz')), { lines: [{ text: 'not gzip at all', no: 1 }], errors: [] });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('cutToBytes keeps whole characters within the byte limit', () => {
  assert.equal(cutToBytes('abc', 5), 'abc');
  assert.equal(cutToBytes('a\u00e9\u00e9', 4), 'a\u00e9');
  assert.equal(cutToBytes('\u2014\u2014', 5), '\u2014');
  assert.equal(cutToBytes('\u{1f600}x', 3), '');
  assert.equal(cutToBytes('\u{1f600}x', 4), '\u{1f600}');
});

test('ByteFramer gives the lines readLines gives, for UTF-16 and UTF-8 bytes pushed in any cut, numbered after a base', async () => {
  const text = 'I0101 ünï 日本\r\nsecond\n\nlast without newline';
  const inputs = [
    Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
    Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]),
    Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]),
  ];
  for (const bytes of inputs) {
    const expected: Line[] = [];
    for await (const batch of readLines(chunked(bytes, 4096))) expected.push(...batch);
    assert.deepEqual(
      expected.map((l) => l.text),
      ['I0101 ünï 日本', 'second', '', 'last without newline'],
    );
    for (const size of [1, 2, 3, 5]) {
      const framer = new ByteFramer(undefined, 10);
      const got: Line[] = [];
      for (let i = 0; i < bytes.length; i += size) framer.push(bytes.subarray(i, i + size), got);
      framer.end(got);
      assert.deepEqual(got, expected.map((l) => ({ ...l, no: l.no + 10 })), `pieces of ${size}`);
    }
  }
});

test('NUL bytes are taken out of the line they are in and counted on it', async () => {
  const lines: Line[] = [];
  const bytes = Buffer.concat([Buffer.alloc(5), Buffer.from('good\nmid\0\0dle\n\0\0\0\nend')]);
  for await (const batch of readLines(chunked(bytes, 3))) lines.push(...batch);
  assert.deepEqual(lines, [
    { text: 'good', no: 1, nuls: 5 },
    { text: 'middle', no: 2, nuls: 2 },
    { text: '', no: 3, nuls: 3 },
    { text: 'end', no: 4 },
  ]);
});

/** Every regular file under `dir`. */
async function filesUnder(dir: string): Promise<string[]> {
  const { readdir } = await import('node:fs/promises');
  const out: string[] = [];
  for (const d of await readdir(dir, { withFileTypes: true, recursive: true })) if (d.isFile()) out.push(join(d.parentPath, d.name));
  return out;
}

async function lineCountOf(path: string, opts: FramingOptions = {}): Promise<{ lines: number; nuls: number }> {
  let lines = 0;
  let nuls = 0;
  for await (const batch of readLines(path, opts)) {
    for (const l of batch) {
      lines++;
      if (l.nuls) nuls++;
    }
  }
  return { lines, nuls };
}

test('countPlainLines: readLines\' count for every real corpus file it counts (and it counts the plain ones)', { skip: corpusSkip() }, async () => {
  let counted = 0;
  let declined = 0;
  for (const file of await filesUnder(corpusDir!)) {
    const n = await countPlainLines(file);
    const { lines, nuls } = await lineCountOf(file);
    if (n === undefined) {
      declined++;
      continue;
    }
    counted++;
    assert.equal(n, lines, file);
    assert.equal(nuls, 0, file);
  }
  // The corpus is mostly plain UTF-8 logs; its gzip files (and any UTF-16 one) are declined.
  assert.ok(counted > 50 && counted > 3 * declined, `counted ${counted}, declined ${declined}`);
});

test('countPlainLines: readLines\' count at the edges (BOM, no last newline, CRLF, bad UTF-8), undefined where the bytes do not tell it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ktrail-count-'));
  try {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const cases: [string, Buffer][] = [
      ['empty', Buffer.alloc(0)],
      ['one byte', Buffer.from('a')],
      ['newline only', Buffer.from('\n')],
      ['bom only', bom],
      ['bom newline', Buffer.concat([bom, Buffer.from('\n')])],
      ['bom text', Buffer.concat([bom, Buffer.from('x')])],
      ['no last newline', Buffer.from('a\nb\nc')],
      ['crlf', Buffer.from('a\r\nb\r\n\r')],
      ['blank lines', Buffer.from('\n\n\na\n\n')],
      ['bad utf-8', Buffer.from([0xff, 0x0a, 0xfe, 0xc3, 0x0a, 0xe2, 0x82])],
      ['multibyte', Buffer.from('é😀\nü\n€')],
    ];
    for (const [name, bytes] of cases) {
      const path = join(dir, name);
      await writeFile(path, bytes);
      for (const readChunk of [undefined, 1, 2, 3]) {
        assert.equal(await countPlainLines(path, undefined, readChunk), (await lineCountOf(path, { readChunk })).lines, `${name}, readChunk ${readChunk}`);
      }
    }
    const declined: [string, Buffer, number?][] = [
      ['nul', Buffer.from('a\nb\0c\nd\n')],

      ['utf-16le', Buffer.from('\ufeffa\nb\n', 'utf16le')],
      ['utf-16be', Buffer.from([0xfe, 0xff, 0x00, 0x61, 0x00, 0x0a])],
      ['gzip', gzipSync(Buffer.from('a\nb\n'))],
      ['long line', Buffer.from('a\n' + 'x'.repeat(100) + '\nb\n'), 64],
      ['long last line', Buffer.from('a\n' + 'x'.repeat(100)), 64],
    ];
    for (const [name, bytes, max] of declined) {
      const path = join(dir, name);
      await writeFile(path, bytes);
      for (const readChunk of [undefined, 1]) assert.equal(await countPlainLines(path, max, readChunk), undefined, `${name}, readChunk ${readChunk}`);
    }
    await assert.rejects(countPlainLines(join(dir, 'missing')));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
