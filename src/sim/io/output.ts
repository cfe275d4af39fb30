/**
 * Streaming output for a simulated bundle. Every log file is a `LogFile`: lines are appended to a
 * string buffer that is flushed to disk in large chunks (bounded memory whatever the run's size),
 * and each line's ground truth (objects, incident) is appended to a per-segment side file. When a
 * file is rotated its segment keeps its own truth side file, so `truth/lines.jsonl` can be
 * assembled at the end with the final file names and 1-based line numbers of every segment.
 */
import { closeSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUF_BYTES = 1 << 20;

/**
 * A file written through a fixed 1 MiB byte buffer: lines are encoded straight into it (no
 * intermediate string concatenation, which made the writer GC-bound) and flushed with one
 * write(2) when full. The fd is opened lazily so empty files are never created.
 */
class Sink {
  private buf = Buffer.allocUnsafe(BUF_BYTES);
  private pos = 0;
  private fd = -1;
  private twinFd = -1;
  bytes = 0;
  twinBytes = 0;

  /** `twinPath`: a second file that receives the same bytes (kind's containers/ twin). */
  constructor(
    public path: string,
    private twinPath?: string,
  ) {}

  append(s: string): void {
    // UTF-8 needs at most 3 bytes per UTF-16 unit.
    if (this.pos + s.length * 3 > BUF_BYTES) {
      this.flush();
      if (s.length * 3 > BUF_BYTES) {
        this.writeOut(Buffer.from(s, 'utf8'));
        return;
      }
    }
    this.pos += this.buf.write(s, this.pos, 'utf8');
  }

  /** Creates (truncates) the file and its twin now: a rotated log is reopened at once. */
  open(): void {
    if (this.fd < 0) {
      mkdirSync(dirname(this.path), { recursive: true });
      this.fd = openSync(this.path, 'w');
    }
    if (this.twinPath && this.twinFd < 0) {
      mkdirSync(dirname(this.twinPath), { recursive: true });
      this.twinFd = openSync(this.twinPath, 'w');
    }
  }

  private writeOut(data: Buffer): void {
    this.open();
    writeSync(this.fd, data);
    this.bytes += data.length;
    if (this.twinFd >= 0) {
      writeSync(this.twinFd, data);
      this.twinBytes += data.length;
    }
  }

  flush(): void {
    if (this.pos === 0) return;
    this.writeOut(this.buf.subarray(0, this.pos));
    this.pos = 0;
  }

  close(): void {
    this.flush();
    if (this.fd >= 0) closeSync(this.fd);
    if (this.twinFd >= 0) closeSync(this.twinFd);
    this.fd = -1;
    this.twinFd = -1;
  }
}

/** One segment of a log file: its lines and the truth side file of those lines. */
interface Segment {
  /** Bundle-relative name the segment finally has (renamed on rotation). */
  rel: string;
  truthPath: string;
  lines: number;
  /** Bytes on disk once the segment is final (rotated, possibly compressed). */
  bytes: number;
}

export interface RotationPolicy {
  /** Rotate when the current file reaches this many bytes (kubelet containerLogMaxSize). */
  maxBytes: number;
  /** Files kept per container, current one included (kubelet containerLogMaxFiles). */
  maxFiles: number;
}

export class LogFile {
  private sink: Sink;
  private truth: Sink;
  private seg: Segment;
  private segChars = 0;
  /** Rotated segments, oldest first: the newest stays plain, older ones are gzip-compressed. */
  private rotated: { seg: Segment; gz: boolean }[] = [];
  private lastRotation = -Infinity;

  constructor(
    private out: Output,
    readonly rel: string,
    private twinRel: string | undefined,
    private rotation: RotationPolicy | undefined,
  ) {
    this.sink = new Sink(join(out.bundleDir, rel), twinRel ? join(out.bundleDir, twinRel) : undefined);
    this.seg = out.newSegment(rel);
    this.truth = new Sink(this.seg.truthPath);
  }

  /** Appends one physical line (no newline inside) with what it is about. */
  write(text: string, objects: readonly string[], incident: string | null): void {
    const line = text + '\n';
    this.sink.append(line);
    this.segChars += line.length;
    this.seg.lines++;
    this.out.lines++;
    this.truth.append(truthTail(objects, incident));
  }

  /** Called by the writer between records: rotates when the segment is over the size limit. */
  maybeRotate(nowLocal: number, stamp: (us: number) => string): void {
    if (!this.rotation || this.segChars < this.rotation.maxBytes) return;
    // The kubelet's container log manager looks every 10 s: never two rotations closer than that
    // (which also keeps the second-resolution rotation names unique).
    if (nowLocal - this.lastRotation < 10_000_000) return;
    this.lastRotation = nowLocal;
    this.sink.close();
    this.truth.close();
    this.out.bytes += this.sink.bytes;
    this.seg.bytes = this.sink.bytes;
    const rotatedRel = `${this.rel}.${stamp(nowLocal)}`;
    renameSync(join(this.out.bundleDir, this.rel), join(this.out.bundleDir, rotatedRel));
    this.seg.rel = rotatedRel;
    // The newest rotated file stays plain; the one before it is compressed now (as the kubelet does).
    const prev = this.rotated[this.rotated.length - 1];
    if (prev && !prev.gz) {
      this.out.compress(prev.seg, nowLocal);
      prev.gz = true;
    }
    this.rotated.push({ seg: this.seg, gz: false });
    while (this.rotated.length > this.rotation.maxFiles - 1) {
      const old = this.rotated.shift()!;
      this.out.drop(old.seg);
    }
    // containers/ is a symlink to the current file: after rotation it starts empty again (the
    // new sink truncates it).
    this.sink = new Sink(join(this.out.bundleDir, this.rel), this.twinRel ? join(this.out.bundleDir, this.twinRel) : undefined);
    this.sink.open();
    this.seg = this.out.newSegment(this.rel);
    this.truth = new Sink(this.seg.truthPath);
    this.segChars = 0;
  }

  close(): void {
    this.sink.close();
    this.truth.close();
    this.out.bytes += this.sink.bytes + this.sink.twinBytes;
    if (this.sink.twinBytes > 0) this.out.files++;
  }
}

function truthTail(objects: readonly string[], incident: string | null): string {
  let s = '"objects":[';
  for (let i = 0; i < objects.length; i++) s += (i ? ',"' : '"') + objects[i] + '"';
  return s + '],"incident":' + (incident === null ? 'null' : '"' + incident + '"') + '}\n';
}

export class Output {
  readonly bundleDir: string;
  readonly truthDir: string;
  private partsDir: string;
  private segments: Segment[] = [];
  private files_: LogFile[] = [];
  lines = 0;
  bytes = 0;
  files = 0;

  constructor(
    readonly root: string,
    /** Fixed gzip header mtime source: the rotation's own time, so output is reproducible. */
    private gzipMtime: (nowLocal: number) => number,
  ) {
    this.bundleDir = join(root, 'bundle');
    this.truthDir = join(root, 'truth');
    this.partsDir = join(this.truthDir, '.parts');
    // Replace only what a run writes: OUT itself may hold other things (never delete it whole).
    rmSync(this.bundleDir, { recursive: true, force: true });
    rmSync(this.truthDir, { recursive: true, force: true });
    mkdirSync(this.bundleDir, { recursive: true });
    mkdirSync(this.partsDir, { recursive: true });
  }

  newSegment(rel: string): Segment {
    const seg = { rel, truthPath: join(this.partsDir, `${this.segments.length}.part`), lines: 0, bytes: 0 };
    this.segments.push(seg);
    return seg;
  }

  /** Opens a log file (bundle-relative), optionally with a byte-identical twin and rotation. */
  file(rel: string, twinRel?: string, rotation?: RotationPolicy): LogFile {
    const f = new LogFile(this, rel, twinRel, rotation);
    this.files_.push(f);
    return f;
  }

  /** Replaces a rotated plain file by its gzip, with a fixed header mtime (deterministic output). */
  compress(seg: Segment, nowLocal: number): void {
    const plain = join(this.bundleDir, seg.rel);
    const gz = gzipSync(readFileSync(plain), { level: 6 });
    gz.writeUInt32LE(this.gzipMtime(nowLocal) >>> 0, 4);
    const gzRel = seg.rel + '.gz';
    writeFileSync(join(this.bundleDir, gzRel), gz);
    rmSync(plain);
    seg.rel = gzRel;
    this.bytes += gz.length - seg.bytes;
    seg.bytes = gz.length;
  }

  /** A rotated segment the kubelet deleted (over containerLogMaxFiles): gone, with its truth. */
  drop(seg: Segment): void {
    rmSync(join(this.bundleDir, seg.rel), { force: true });
    rmSync(seg.truthPath, { force: true });
    this.lines -= seg.lines;
    this.bytes -= seg.bytes;
    seg.lines = -1;
  }

  /** A small non-log file written at once (kubernetes-version.txt...). */
  writeText(rel: string, text: string): void {
    const p = join(this.bundleDir, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
    this.bytes += Buffer.byteLength(text);
    this.files++;
  }

  /** Closes every file and assembles truth/lines.jsonl from the per-segment side files. */
  finish(): void {
    for (const f of this.files_) f.close();
    // Rotated files written during the run are counted here: they are final now.
    const live = this.segments.filter((s) => s.lines > 0).sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
    // Each live segment is one file on disk (current, rotated plain, or rotated .gz).
    this.files += live.length;
    const out = new Sink(join(this.truthDir, 'lines.jsonl'));
    for (const seg of live) {
      const prefix = '{"file":' + JSON.stringify(seg.rel) + ',"line":';
      let n = 0;
      forEachLine(seg.truthPath, (tail) => {
        n++;
        out.append(prefix + n + ',' + tail + '\n');
      });
    }
    out.close();
    rmSync(this.partsDir, { recursive: true, force: true });
  }
}

/** Reads a file line by line in 1 MiB chunks (truth side files can be hundreds of MB). */
function forEachLine(path: string, fn: (line: string) => void): void {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return;
  }
  const chunk = Buffer.alloc(1 << 20);
  let rest = '';
  for (;;) {
    const n = readSync(fd, chunk, 0, chunk.length, null);
    if (n === 0) break;
    const text = rest + chunk.toString('utf8', 0, n);
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      fn(text.slice(start, nl));
      start = nl + 1;
    }
    rest = text.slice(start);
  }
  if (rest) fn(rest);
  closeSync(fd);
}
