/**
 * Framing: bytes to lines, the lowest stage of ingest. Everything above it sees `Line`s whatever
 * the file was: gzip (detected by its magic bytes, not its name), UTF-8 with or without a BOM,
 * UTF-16LE/BE with a BOM, CRLF terminators, invalid bytes, absurdly long lines.
 *
 * Speed: this is the "split-only" rate the benchmarks compare the parsers to, so chunks are
 * decoded to one string each and split on "\n" with indexOf; a line is a slice of that string,
 * never a Buffer of its own, and the consumer gets one batch (one await) per 4096 lines.
 *
 * Errors: bad content never throws. A read error (ENOENT, EACCES, EISDIR) or a corrupt or
 * truncated gzip ends the source after every line decoded so far and is reported through
 * `onError(cause)`; the caller names the file (`ktrail: <file>: <cause>`) and goes on.
 */
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import type { Line } from '../../parsers/types.js';
import { describeError } from './diagnostics.js';
import { fileChunks } from './file-chunks.js';

export { DiagnosticList, describeError, type Diagnostic, type Diagnostics } from './diagnostics.js';

/** Default line limit: longer lines are cut to this many UTF-8 bytes and flagged `truncated`. */
export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;
const NEWLINE_BYTE = 0x0a;
/** Default cap on the lines of one yielded batch. */
export const DEFAULT_BATCH_LINES = 4096;
/**
 * Bytes per read. 1 MiB reads split ~25% faster than 256 KiB ones (fewer stream round trips) and
 * still keep a source's working set to a few MiB: one chunk, its decoded string, one pending line.
 */
const READ_CHUNK = 1024 * 1024;

export interface FramingOptions {
  /** Lines longer than this (in UTF-8 bytes, after decoding) are cut. Default 1 MiB. */
  maxLineBytes?: number;
  /** At most this many lines per yielded batch. Default 4096. */
  batchLines?: number;
  /**
   * Bytes per read of a file (default 1 MiB). Many files read at once (the merge holds every
   * source open) take smaller reads: each source holds about two reads' worth of text.
   */
  readChunk?: number;
  /**
   * A read error or a corrupt gzip: called once with the cause ("permission denied (EACCES)",
   * "gzip: unexpected end of file"), after the lines read so far were yielded. Without it the
   * cause goes to process.emitWarning, so that it is never silently lost.
   */
  onError?: (message: string) => void;
}

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

/** What the first bytes of an input say about it. */
export interface HeadSniff {
  gzip: boolean;
  encoding: TextEncoding;
  /** The first bytes after gzip decompression, still encoded (up to the requested size). */
  bytes: Buffer;
}

// ---------------------------------------------------------------------------------------------
// Byte streams

async function* rawChunks(input: Readable | string, readChunk = READ_CHUNK): AsyncGenerator<Buffer> {
  // A path is read through a bounded set of open handles (file-chunks.ts): a merge of 20,000 files must not run out of them.
  const stream = typeof input === 'string' ? fileChunks(input, readChunk) : input;
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    yield typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
  }
}

/** Reads from `it` until `n` bytes are at hand or the input ends (stdin may give 1 byte at a time). */
async function peek(it: AsyncIterator<Buffer>, n: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let length = 0;
  while (length < n) {
    const next = await it.next();
    if (next.done) break;
    parts.push(next.value);
    length += next.value.length;
  }
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts, length);
}

async function* prepend(head: Buffer, it: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  try {
    if (head.length) yield head;
    for (;;) {
      const next = await it.next();
      if (next.done) return;
      yield next.value;
    }
  } finally {
    await it.return?.();
  }
}

export function isGzip(head: Buffer): boolean {
  // Magic 1f 8b and method 08 (deflate, the only one defined): no text file starts like that.
  return head.length >= 3 && head[0] === 0x1f && head[1] === 0x8b && head[2] === 0x08;
}

/** The encoding a file's first bytes (a BOM) say; UTF-8 without one. */
export function encodingOf(head: Buffer): TextEncoding {
  if (head.length >= 2) {
    if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
    if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  }
  return 'utf-8';
}

/** Compressed bytes handed to zlib at a time: bounds the output one write can produce. */
const GUNZIP_INPUT = 64 * 1024;

/**
 * node:zlib over an async byte source. Concatenated gzip members (what `cat a.gz b.gz` makes)
 * decompress as one stream. A truncated or corrupt input ends with a Z_* error, thrown only
 * after every byte zlib produced before it was yielded.
 *
 * Why not `for await (... of gunzip)`: zlib destroys itself on the error, and a destroyed stream
 * drops the output still queued for a slow reader (measured: ~9 KB lost, depending on chunking).
 * Here each input piece is written and its whole output taken from 'data' before the next, which
 * is also the backpressure: at most one piece's output (64 KiB times the ratio) is held.
 */
export async function* gunzip(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const gz = createGunzip();
  let output: Buffer[] = [];
  let failure: unknown;
  gz.on('data', (chunk: Buffer) => output.push(chunk));
  gz.on('error', (err) => {
    failure ??= err;
  });
  /** Runs one write (or the end) and waits until zlib is done with it, or has failed. */
  const settle = (start: (done: () => void) => void): Promise<void> =>
    new Promise((resolve) => {
      const done = (): void => {
        gz.off('error', done);
        gz.off('end', done);
        resolve();
      };
      gz.once('error', done);
      gz.once('end', done);
      start(done);
    });
  try {
    for await (const raw of source) {
      for (let i = 0; i < raw.length && failure === undefined; i += GUNZIP_INPUT) {
        await settle((done) => gz.write(raw.subarray(i, i + GUNZIP_INPUT), () => done()));
        const ready = output;
        output = [];
        for (const chunk of ready) yield chunk;
      }
      if (failure !== undefined) break;
    }
    if (failure === undefined) await settle(() => gz.end());
    for (const chunk of output) yield chunk;
    if (failure !== undefined) throw failure;
  } finally {
    gz.destroy();
  }
}

/** The input's bytes, decompressed when it is gzip. */
async function decompressedBytes(input: Readable | string, readChunk?: number): Promise<{ gzip: boolean; bytes: AsyncGenerator<Buffer> }> {
  const it = rawChunks(input, readChunk);
  let head: Buffer;
  try {
    head = await peek(it, 3);
  } catch (err) {
    await it.return(undefined);
    throw err;
  }
  const bytes = prepend(head, it);
  return isGzip(head) ? { gzip: true, bytes: gunzip(bytes) } : { gzip: false, bytes };
}

// ---------------------------------------------------------------------------------------------
// Decoding

interface ChunkDecoder {
  write(chunk: Buffer): string;
  end(): string;
}

/**
 * node's StringDecoder for UTF-8 and UTF-16LE: it keeps a multibyte character split across two
 * chunks whole and turns invalid bytes into U+FFFD, like a streaming TextDecoder, but measured
 * twice as fast on UTF-8 (590-740 vs 280-320 MB/s). UTF-16BE, which it lacks, uses TextDecoder.
 * The BOM is kept here and dropped once by the line framer, whatever the encoding.
 */
function decoderFor(encoding: TextEncoding): ChunkDecoder {
  if (encoding === 'utf-16be') {
    const td = new TextDecoder('utf-16be', { ignoreBOM: true });
    return { write: (chunk) => td.decode(chunk, { stream: true }), end: () => td.decode() };
  }
  const sd = new StringDecoder(encoding === 'utf-8' ? 'utf8' : 'utf16le');
  return { write: (chunk) => sd.write(chunk), end: () => sd.end() };
}

/**
 * Bytes to text, chunk by chunk, synchronously: the encoding is taken from the first two bytes
 * (a UTF-16 BOM, else UTF-8), so a chunk of one byte at the very start is held until the second
 * comes (or the end). Batch reading and follow mode both decode through this class, so a file is
 * read the same way whichever reads it.
 */
export class TextDecoding {
  private decoder: ChunkDecoder | undefined;
  private first: Buffer | undefined;

  /** `encoding`: known already (bytes from the middle of a file whose start had the BOM). */
  constructor(encoding?: TextEncoding) {
    if (encoding) this.decoder = decoderFor(encoding);
  }

  push(chunk: Buffer): string {
    if (this.decoder) return this.decoder.write(chunk);
    const head = this.first ? Buffer.concat([this.first, chunk]) : chunk;
    if (head.length < 2) {
      this.first = head;
      return '';
    }
    this.first = undefined;
    this.decoder = decoderFor(encodingOf(head));
    return this.decoder.write(head);
  }

  end(): string {
    if (!this.decoder) {
      if (!this.first?.length) return '';
      this.decoder = decoderFor('utf-8');
      const text = this.decoder.write(this.first);
      this.first = undefined;
      return text + this.decoder.end();
    }
    return this.decoder.end();
  }
}

/** The input as decoded text chunks. */
async function* decodedText(bytes: AsyncGenerator<Buffer>): AsyncGenerator<string> {
  try {
    const decoding = new TextDecoding();
    for await (const chunk of bytes) {
      const text = decoding.push(chunk);
      if (text) yield text;
    }
    const rest = decoding.end();
    if (rest) yield rest;
  } finally {
    await bytes.return(undefined);
  }
}

/**
 * Where `n` more lines of `bytes` end, from `from`: just after the n-th "\n" byte, or the end.
 * A "\n" byte is never inside a UTF-8 character; in UTF-16 it may be half of one, which only
 * makes that piece shorter (the decoders keep a character split across pieces whole).
 */
function afterLines(bytes: Buffer, from: number, n: number): number {
  let at = from;
  for (let i = 0; i < n; i++) {
    const nl = bytes.indexOf(10, at);
    if (nl < 0) return bytes.length;
    at = nl + 1;
  }
  return at;
}

// ---------------------------------------------------------------------------------------------
// Lines

/** UTF-8 bytes of the longest prefix of `text` that fits in `max` bytes without splitting a character. */
export function cutToBytes(text: string, max: number): string {
  // The first `max` UTF-16 units encode to at least `max` bytes: enough to cut from.
  const buf = Buffer.from(text.length > max ? text.slice(0, max) : text, 'utf8');
  if (buf.length <= max) return buf.toString('utf8');
  let end = max;
  while (end > 0 && (buf[end]! & 0xc0) === 0x80) end--; // back to the lead byte of the straddling character
  return buf.toString('utf8', 0, end);
}

/**
 * A physical line from its decoded text. NUL characters are taken out of it and counted (`nuls`):
 * a crash or a preallocated file leaves runs of zero bytes, often right before a good line, and
 * they carry nothing but would hide the line from every parser. The line is cut to `max` UTF-8
 * bytes when longer (`cut`: the caller already knows it is).
 */
function lineOf(text: string, no: number, max: number, surelyShort: number, cut = false): Line {
  let nuls = 0;
  if (text.indexOf('\0') >= 0) {
    const before = text.length;
    text = text.replace(/\0+/g, '');
    nuls = before - text.length;
  }
  const line: Line =
    cut || (text.length > surelyShort && Buffer.byteLength(text) > max)
      ? { text: cutToBytes(text, max), no, truncated: true }
      : { text, no };
  if (nuls) line.nuls = nuls;
  return line;
}

/**
 * Splits decoded text into physical lines. Memory stays bounded: the pending (unterminated) part
 * of a line is cut as soon as it passes the limit, and the rest of that line is dropped chunk by
 * chunk until its "\n" arrives.
 */
export class LineFramer {
  private pending = '';
  /** The current line was already emitted cut: drop text until its terminator. */
  private skipping = false;
  private started = false;
  private no = 0;
  /** A line of at most this many UTF-16 units is within the limit (a unit is at most 3 UTF-8 bytes). */
  private readonly surelyShort: number;

  constructor(private readonly maxLineBytes: number = DEFAULT_MAX_LINE_BYTES) {
    this.surelyShort = Math.floor(maxLineBytes / 3);
  }

  /** Number of the last line emitted. */
  get lineCount(): number {
    return this.no;
  }

  /** UTF-16 units held for an unterminated line: never much more than the limit plus one chunk. */
  get bufferedLength(): number {
    return this.pending.length;
  }

  push(text: string, out: Line[]): void {
    if (!this.started && text.length) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      if (this.skipping) {
        this.skipping = false; // the cut line ends here; it was emitted when it passed the limit
      } else {
        let line = this.pending.length ? this.pending + text.slice(start, nl) : text.slice(start, nl);
        this.pending = '';
        if (line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1); // \r\n
        this.emit(line, out);
      }
      start = nl + 1;
    }
    if (this.skipping || start === text.length) return;
    this.pending = this.pending.length ? this.pending + text.slice(start) : text.slice(start);
    // One byte of slack: a trailing \r may yet turn out to be half of a \r\n.
    if (this.pending.length > this.surelyShort && Buffer.byteLength(this.pending) > this.maxLineBytes + 1) {
      out.push(lineOf(this.pending, ++this.no, this.maxLineBytes, this.surelyShort, true));
      this.pending = '';
      this.skipping = true;
    }
  }

  /** An unterminated line (or the rest of a cut one) is held. */
  get midLine(): boolean {
    return this.skipping || this.pending.length > 0;
  }

  /**
   * End of input: a last line without terminator is still a line (a lone \r in it stays);
   * `cut`: its rest exists but is out of reach, so it is flagged truncated.
   */
  end(out: Line[], cut = false): void {
    if (!this.skipping && this.pending.length) {
      this.emit(this.pending, out);
      if (cut) out[out.length - 1]!.truncated = true;
    }
    this.pending = '';
    this.skipping = false;
  }

  private emit(line: string, out: Line[]): void {
    out.push(lineOf(line, ++this.no, this.maxLineBytes, this.surelyShort));
  }
}

/**
 * Bytes to numbered lines, synchronously, for a source fed chunk by chunk (follow mode, the
 * source pipeline): TextDecoding then LineFramer, the same two stages `readLines` runs.
 */
export class ByteFramer {
  private readonly decoding: TextDecoding;
  private readonly framer: LineFramer;

  /**
   * `lineBase`: lines before the first byte pushed, and `encoding` what the file's start said,
   * for a file read from past its start.
   */
  constructor(
    maxLineBytes: number = DEFAULT_MAX_LINE_BYTES,
    private readonly lineBase = 0,
    encoding?: TextEncoding,
  ) {
    this.decoding = new TextDecoding(encoding);
    this.framer = new LineFramer(maxLineBytes);
  }

  push(bytes: Buffer, out: Line[]): void {
    const from = out.length;
    this.framer.push(this.decoding.push(bytes), out);
    this.renumber(out, from);
  }

  /** Takes an unterminated last line as it is; later bytes start a new line. */
  flush(out: Line[]): void {
    const from = out.length;
    this.framer.end(out);
    this.renumber(out, from);
  }

  /** An unterminated line is held (its "\n" has not come yet). */
  get midLine(): boolean {
    return this.framer.midLine;
  }

  /** End of input: an incomplete character at the very end, then the last line (`cut`: see LineFramer.end). */
  end(out: Line[], cut = false): void {
    const from = out.length;
    this.framer.push(this.decoding.end(), out);
    this.framer.end(out, cut);
    this.renumber(out, from);
  }

  private renumber(out: Line[], from: number): void {
    if (this.lineBase) for (let i = from; i < out.length; i++) out[i]!.no += this.lineBase;
  }
}

function reporter(opts: FramingOptions): (err: unknown) => void {
  return (err) => {
    const message = describeError(err);
    if (opts.onError) opts.onError(message);
    else process.emitWarning(message, 'KtrailFramingWarning');
  };
}

/**
 * The lines of a file (path) or stream, in batches, numbered from 1. A read error or a corrupt
 * gzip ends the lines (after yielding all decoded so far) and is reported through `onError`.
 */
export async function* readLines(input: Readable | string, opts: FramingOptions = {}): AsyncGenerator<Line[]> {
  const framer = new LineFramer(opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
  const batchLines = Math.max(1, opts.batchLines ?? DEFAULT_BATCH_LINES);
  const live = typeof input !== 'string';
  const decoding = new TextDecoding();
  let out: Line[] = [];
  let failure: unknown;
  let bytes: AsyncGenerator<Buffer> | undefined;
  try {
    bytes = (await decompressedBytes(input, opts.readChunk)).bytes;
    for await (const chunk of bytes) {
      // A file's read is decoded a batch of lines at a time, not whole: a line's text is a slice
      // of the string it was decoded in, so a whole read's string lived (and was copied by every
      // young-generation GC, then promoted) until its last batch was merged, many batches later.
      // Cut at the batch's last "\n", each string dies with its batch. A stream (stdin from
      // `kubectl logs -f`) may pause for minutes: everything it gave is handed on at once.
      for (let at = 0; at < chunk.length; ) {
        const end = live ? chunk.length : afterLines(chunk, at, batchLines - out.length);
        framer.push(decoding.push(at === 0 && end === chunk.length ? chunk : chunk.subarray(at, end)), out);
        at = end;
        // A file: whole batches only, the remainder waits for the next piece, so batches stay large.
        const ready = live ? out.length : out.length - (out.length % batchLines);
        if (ready > 0) {
          for (let i = 0; i < ready; i += batchLines) yield out.slice(i, Math.min(i + batchLines, ready));
          out = out.slice(ready);
        }
      }
    }
    framer.push(decoding.end(), out);
  } catch (err) {
    failure = err;
  } finally {
    await bytes?.return(undefined);
  }
  framer.end(out);
  if (out.length) yield out;
  if (failure !== undefined) reporter(opts)(failure);
}

/** The bytes of a UTF-8 byte order mark (LineFramer drops it from the first line). */
const UTF8_BOM = [0xef, 0xbb, 0xbf];

/**
 * How many lines readLines would yield for the file at `path`, counted on its bytes without
 * decoding them, when that is all readLines would tell of it: a plain (not gzip) UTF-8 file with
 * no NUL byte (NULs are counted per line, on the decoded text) and no line near `maxLineBytes`.
 * Otherwise undefined, and the caller reads its lines. Each "\n" byte ends a line (in UTF-8 it is
 * never part of a character; a line cut at the limit still ends at its "\n"), and bytes after the
 * last one are a line, unless they are only the byte order mark.
 *
 * For the files a read sets aside and only counts (a bundle's containers/ copies of its pods/
 * logs): they were decoded and framed on the main thread, 24 MB of the scale-20 bundle's 166.
 */
export async function countPlainLines(path: string, maxLineBytes = DEFAULT_MAX_LINE_BYTES, readChunk?: number): Promise<number | undefined> {
  const { gzip, bytes } = await decompressedBytes(path, readChunk);
  try {
    if (gzip) return undefined;
    let lines = 0;
    /** Bytes after the last "\n" so far. */
    let tail = 0;
    /** The file's first bytes (up to 3, whatever the reads' sizes): UTF-16's byte order mark, or UTF-8's. */
    const start: number[] = [];
    for await (const chunk of bytes) {
      if (start.length < UTF8_BOM.length) {
        const had = start.length;
        for (let i = 0; i < chunk.length && start.length < UTF8_BOM.length; i++) start.push(chunk[i]!);
        if (had < 2 && start.length >= 2 && encodingOf(Buffer.from(start)) !== 'utf-8') return undefined;
      }
      if (chunk.indexOf(0) >= 0) return undefined;
      let at = 0;
      for (let nl = chunk.indexOf(NEWLINE_BYTE); nl >= 0; nl = chunk.indexOf(NEWLINE_BYTE, at)) {
        if (tail + nl - at >= maxLineBytes) return undefined;
        lines++;
        tail = 0;
        at = nl + 1;
      }
      tail += chunk.length - at;
      if (tail >= maxLineBytes) return undefined;
    }
    if (tail > 0 && !(lines === 0 && tail === UTF8_BOM.length && UTF8_BOM.every((b, i) => start[i] === b))) lines++;
    return lines;
  } finally {
    await bytes.return(undefined);
  }
}

/** The first `maxBytes` bytes of a file after gzip decompression, and its encoding. */
export async function readHead(path: string, maxBytes = 4096): Promise<HeadSniff> {
  // Read in pieces of the head's size, not READ_CHUNK: a 1 MiB buffer per file sniffed (every file
  // of a bundle, at discovery and again when the workers' files are weighed) stayed in the RSS
  // until a collection, 20-30 MB more at the scale-60 bundle's read.
  const { gzip, bytes } = await decompressedBytes(path, Math.max(maxBytes, 4096));
  let head: Buffer;
  try {
    head = await peek(bytes, maxBytes);
  } catch (err) {
    // A corrupt gzip has no readable head; reading it will report the cause. A read error
    // (EACCES...) is the caller's to report.
    if (!gzip || !isZlibError(err)) throw err;
    head = Buffer.alloc(0);
  } finally {
    await bytes.return(undefined);
  }
  return { gzip, encoding: encodingOf(head), bytes: head.subarray(0, maxBytes) };
}

function isZlibError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('Z_');
}

// ---------------------------------------------------------------------------------------------
// Reversed reading (`journalctl -r` files)

/** Bytes per backward read. */
const REVERSE_CHUNK = 256 * 1024;

/**
 * The lines of a file, last first, each with its original number (for `journalctl -r` output,
 * so that events come out oldest first).
 *
 * A plain UTF-8 file is read backwards in place: one forward pass counts its lines (so that the
 * last one gets its number), then 256 KiB chunks are read from the end. Memory stays bounded: a
 * line longer than the limit is not gathered; its first bytes are read again from its start.
 *
 * gzip cannot be read backwards, and UTF-16 would need its own backward splitter, so those (and
 * pipes or devices, which cannot seek) are first decoded forward into a temporary UTF-8 file in
 * the OS temp dir, which is then read backwards and deleted. That costs disk space equal to the
 * decoded size, never memory. A truncated gzip is reported and the lines before the damage are
 * still given, last first.
 */
export async function* readLinesReversed(path: string, opts: FramingOptions = {}): AsyncGenerator<Line[]> {
  let tempDir: string | undefined;
  let failure: unknown;
  try {
    let target = path;
    if (await needsTranscoding(path)) {
      tempDir = await mkdtemp(join(tmpdir(), 'ktrail-reverse-'));
      target = join(tempDir, 'decoded.log');
      failure = await transcodeToUtf8(path, target); // reported after the lines, as readLines does
    }
    yield* backwardLines(target, opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES, opts.batchLines ?? DEFAULT_BATCH_LINES);
  } catch (err) {
    failure ??= err;
  } finally {
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
  }
  if (failure !== undefined) reporter(opts)(failure);
}

async function needsTranscoding(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    if (!(await fh.stat()).isFile()) return true;
    const head = Buffer.alloc(3);
    const { bytesRead } = await fh.read(head, 0, 3, 0);
    const got = head.subarray(0, bytesRead);
    return isGzip(got) || encodingOf(got) !== 'utf-8';
  } finally {
    await fh.close();
  }
}

/** Decompresses and decodes `path` into a UTF-8 file; returns the error that ended it, if any. */
async function transcodeToUtf8(path: string, target: string): Promise<unknown> {
  const out = await open(target, 'w');
  try {
    const { bytes } = await decompressedBytes(path);
    for await (const text of decodedText(bytes)) await out.write(text, null, 'utf8');
    return undefined;
  } catch (err) {
    return err;
  } finally {
    await out.close();
  }
}

/**
 * Whether the 0a byte at `i` of `buf` (which starts at byte `at` of a text in `encoding`) ends a
 * line. In UTF-16 only a whole "\n" code unit does (0a 00 at an even offset, or 00 0a at an odd
 * one), not a 0a byte that is half of another character (U+0A0A). At the buffer's edge the other
 * half is taken to be 00.
 */
export function endsLine(buf: Buffer, i: number, encoding: TextEncoding, at: number): boolean {
  if (encoding === 'utf-8') return true;
  const even = (at + i) % 2 === 0;
  return encoding === 'utf-16le' ? even && (i + 1 === buf.length || buf[i + 1] === 0) : !even && (i === 0 || buf[i - 1] === 0);
}

/** The line ends in `buf`, which starts at byte `at` of a text in `encoding` (see endsLine). */
export function countLineEnds(buf: Buffer, encoding: TextEncoding = 'utf-8', at = 0): number {
  let n = 0;
  for (let i = buf.indexOf(10); i >= 0; i = buf.indexOf(10, i + 1)) if (endsLine(buf, i, encoding, at)) n++;
  return n;
}

async function countNewlines(fh: FileHandle, size: number): Promise<number> {
  const buf = Buffer.allocUnsafe(READ_CHUNK);
  let count = 0;
  for (let pos = 0; pos < size; ) {
    const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, size - pos), pos);
    if (bytesRead === 0) break;
    count += countLineEnds(buf.subarray(0, bytesRead));
    pos += bytesRead;
  }
  return count;
}

async function readAt(fh: FileHandle, pos: number, length: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(length);
  let got = 0;
  while (got < length) {
    const { bytesRead } = await fh.read(buf, got, length - got, pos + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return buf.subarray(0, got);
}

/** Backward splitter over a UTF-8 file, by absolute byte offsets. */
async function* backwardLines(path: string, maxLineBytes: number, batchLines: number): AsyncGenerator<Line[]> {
  const fh = await open(path, 'r');
  try {
    const size = (await fh.stat()).size; // lines appended while we read are not ours
    const bom = await readAt(fh, 0, Math.min(3, size));
    const dataStart = bom.length === 3 && bom[0] === 0xef && bom[1] === 0xbb && bom[2] === 0xbf ? 3 : 0;
    if (size <= dataStart) return;

    const last = await readAt(fh, size - 1, 1);
    const endsWithNewline = last[0] === 10;
    let no = (await countNewlines(fh, size)) + (endsWithNewline ? 0 : 1);

    let out: Line[] = [];
    // The line being gathered ends at lineEnd (exclusive, before its "\n"); `parts` hold its
    // bytes right of the current chunk, right-most first, while they stay within the limit.
    let lineEnd = endsWithNewline ? size - 1 : size;
    let terminated = endsWithNewline;
    let parts: Buffer[] = [];
    let partsLength = 0;
    // Enough raw bytes to hold every character that starts within the limit, and a \r.
    const keep = maxLineBytes + 4;

    const surelyShort = maxLineBytes / 3;
    /** Emits the line numbered `no` from its decoded text. */
    const emit = (text: string, terminated: boolean): void => {
      if (terminated && text.charCodeAt(text.length - 1) === 13) text = text.slice(0, -1); // \r\n
      out.push(lineOf(text, no--, maxLineBytes, surelyShort));
    };

    /** The line being gathered starts at lineStart: emit it from `parts`, or re-read its head. */
    const finish = async (lineStart: number, chunk: Buffer, chunkStart: number): Promise<void> => {
      if (lineEnd - lineStart <= keep) {
        const local = chunk.subarray(lineStart - chunkStart, Math.min(lineEnd, chunkStart + chunk.length) - chunkStart);
        emit((parts.length ? Buffer.concat([local, ...parts]) : local).toString('utf8'), terminated);
      } else {
        // Only its first bytes matter, and a \r at its end cannot bring it under the limit.
        emit((await readAt(fh, lineStart, keep)).toString('utf8'), false);
      }
      parts = [];
      partsLength = 0;
      terminated = true;
    };

    let pos = lineEnd;
    while (pos > dataStart) {
      const chunkStart = Math.max(dataStart, pos - REVERSE_CHUNK);
      const chunk = await readAt(fh, chunkStart, pos - chunkStart);
      const lastNewline = chunk.lastIndexOf(10);
      if (lastNewline >= 0) {
        // The line right of the last "\n" may continue into the chunks read before.
        await finish(chunkStart + lastNewline + 1, chunk, chunkStart);
        lineEnd = chunkStart + lastNewline;
        // Between the first and the last "\n" are whole lines: decode them at once and split
        // the string, as the forward reader does, instead of decoding line by line.
        const firstNewline = chunk.indexOf(10);
        if (firstNewline < lastNewline) {
          const text = chunk.toString('utf8', firstNewline + 1, lastNewline);
          let end = text.length;
          for (let k = text.lastIndexOf('\n'); ; k = k > 0 ? text.lastIndexOf('\n', k - 1) : -1) {
            emit(text.slice(k + 1, end), true);
            if (k < 0) break;
            end = k;
          }
          lineEnd = chunkStart + firstNewline;
        }
      }
      // What is left of this chunk begins the line still being gathered.
      const leftLength = lineEnd - chunkStart;
      if (leftLength > 0 && partsLength + leftLength <= keep) {
        parts.unshift(chunk.subarray(0, leftLength));
        partsLength += leftLength;
      } else if (leftLength > 0) {
        parts = []; // too long: its head will be read again from its start
        partsLength = keep + 1;
      }
      pos = chunkStart;
      while (out.length >= batchLines) {
        yield out.slice(0, batchLines);
        out = out.slice(batchLines);
      }
    }
    await finish(dataStart, Buffer.alloc(0), dataStart); // line 1
    if (out.length) yield out;
  } finally {
    await fh.close();
  }
}
