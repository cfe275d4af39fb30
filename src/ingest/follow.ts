/**
 * Follow mode: watch files and folders and turn every line appended to any log under them into
 * events, with the same discovery, envelopes, payload parsers and assembler as a one-shot read.
 *
 *   const follower = follow(['/var/log/pods'], { onError: (file, msg) => ... });
 *   for await (const { source, events } of follower) { ... }   // until follower.close()
 *
 * API choice: an async iterable of batches, not an EventEmitter, because it gives backpressure:
 * when the consumer falls behind (a 100k-line burst into a store), reading pauses at
 * `highWaterEvents` queued events and the bytes wait on disk. One consumer at a time. Each batch
 * holds events of one followed stream (`source`), in file order. Leaving the loop early (break,
 * throw) closes the follower. `close()` stops the watcher, reads what is left of every file, lets
 * go of every held line and event (they come out as last batches), closes every file handle, and
 * ends the iteration.
 *
 * Files are found by discoverSources (through resolveInputs), so hints, display names, set-aside
 * files and kind's journal twins are exactly a one-shot read's. Which files exist at the start is
 * decided by `start`: 'end' (default, like `tail -F`) reads only what is appended from now on,
 * 'start' reads them whole first. Files that appear later are read from their start, except
 * rotated copies of what was read (see follow-copies.ts).
 *
 * Rotation, detected by inode and size:
 * - rename and create (kubelet.log -> kubelet.log.1, new kubelet.log): the path now names another
 *   inode; the old stream is read on through its open handle, and followed under its new name
 *   when that name is in the watched tree (or retired after `graceMs` when it is not); the new
 *   file is a new stream, read from 0;
 * - copytruncate: the size drops below what was read (or the file's first bytes changed): the
 *   file is read again from 0, and the copy (kubelet.log.1) is read only past what was read;
 * - gzip rotations (kubelet.log.1.gz): a copy of what was read, so only the bytes past it (none,
 *   normally) are read.
 *
 * The watcher is chokidar on inotify (fs.watch); its raw events are used, not only its
 * 'change' (which it drops when it believes the mtime unchanged). `polling` switches to stat
 * polling for file systems without inotify (NFS, some container mounts). A sweep every `sweepMs`
 * stats the followed files anyway, so that a lost or overflowed inotify event only delays lines.
 *
 * Events are emitted in arrival order per file, not merged by time across files; seq numbers
 * are unique and increase in the order events were made.
 */
import type { Stats } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type { Component, KEvent } from '../model/event.js';
import { describeError } from './diagnostics.js';
import { alreadyRead, rotationName, type ReadFingerprint } from './follow-copies.js';
import { BatchQueue } from './follow-queue.js';
import { FileTail, type FollowedSource, type TailContext } from './follow-tail.js';
import { DEFAULT_MAX_LINE_BYTES, readHead } from './framing.js';
import { resolveInputs } from './run.js';
import type { SourceInput } from './source-reader.js';

export type { FollowedSource, TailState } from './follow-tail.js';

export interface FollowOptions {
  /** Files present at the start: 'end' reads only what is appended (default), 'start' reads them whole. */
  start?: 'end' | 'start';
  /** Quiet time after which a file's pending event is emitted. Default 500 ms. */
  idleMs?: number;
  /** Quiet time after which an unterminated line or a half CRI P..F record is taken as is. Default 2000 ms. */
  partialMs?: number;
  /** How long a file whose name vanished is still read before it is closed. Default 2000 ms. */
  graceMs?: number;
  /** Period of the safety sweep that stats every followed file. Default 2000 ms; 0 turns it off. */
  sweepMs?: number;
  /** Poll instead of inotify: true (every 100 ms) or the interval in ms. Default false. */
  polling?: boolean | number;
  /** Queued events at which readers wait for the consumer. Default 50,000. */
  highWaterEvents?: number;
  componentOverride?: Component;
  maxLineBytes?: number;
  /** A problem with one file or the watcher; following goes on. Each distinct message is reported once. */
  onError?: (file: string, message: string) => void;
  /** Opens a file for reading (tests substitute failing ones). */
  openFile?: (path: string) => Promise<FileHandle>;
}

export interface FollowBatch {
  source: FollowedSource;
  events: KEvent[];
}

export interface Follower extends AsyncIterable<FollowBatch> {
  /** Resolves once the watcher runs and the files present at the start are open. */
  readonly ready: Promise<void>;
  /** Every stream followed so far (also ended ones), updated in place, in the order found. */
  sources(): readonly FollowedSource[];
  /** Resolves when no step is running or queued on any file (timers may still be armed). */
  settled(): Promise<void>;
  /** Stops watching, reads and lets go of everything, closes every handle. Idempotent. */
  close(): Promise<void>;
}

/** Ended generations (truncated or closed streams) kept to recognize their copies. */
const MAX_GENERATIONS = 256;
/** How long a path that discovery did not list is not looked for again. */
const NOT_FOUND_MS = 10_000;
/** Reads running at once. */
const READ_SLOTS = 4;

export function follow(paths: string[], opts: FollowOptions = {}): Follower {
  return new FileFollower(paths, opts);
}

function inodeKey(dev: number, ino: number): string {
  return `${dev}:${ino}`;
}

function isGone(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

class FileFollower implements Follower {
  readonly ready: Promise<void>;
  private readonly roots: string[];
  private readonly queue: BatchQueue<FollowBatch>;
  private readonly ctx: TailContext;
  private readonly start: 'end' | 'start';
  private readonly graceMs: number;
  private readonly openFile: (path: string) => Promise<FileHandle>;
  private readonly onErrorOnce: (file: string, message: string) => void;
  private watcher: FSWatcher | undefined;
  private readonly all: FileTail[] = [];
  private readonly byPath = new Map<string, FileTail>();
  private readonly byInode = new Map<string, FileTail>();
  /** Discovery's verdict per path: its input, or null when it is not a log to read. */
  private inputs = new Map<string, SourceInput | null>();
  /** Paths the walk did not list, until when they are not looked for again. */
  private readonly notFound = new Map<string, number>();
  private readonly generations: ReadFingerprint[] = [];
  private readonly retireTimers = new Map<FileTail, NodeJS.Timeout>();
  private readonly dirty = new Set<string>();
  private control: Promise<void> = Promise.resolve();
  private drainScheduled = false;
  private initialized = false;
  private sweepTimer: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;
  private seq = 0;
  private slotsFree = READ_SLOTS;
  private readonly slotWaiters: (() => void)[] = [];

  constructor(paths: string[], opts: FollowOptions) {
    this.roots = paths.map((p) => resolve(p));
    this.start = opts.start ?? 'end';
    const idleMs = opts.idleMs ?? 500;
    const partialMs = Math.max(idleMs, opts.partialMs ?? 2000);
    this.graceMs = opts.graceMs ?? 2000;
    this.openFile = opts.openFile ?? ((p) => open(p, 'r'));
    const reported = new Set<string>();
    const onError = opts.onError ?? ((file, message) => process.emitWarning(`${file}: ${message}`, 'KtrailFollowWarning'));
    this.onErrorOnce = (file, message) => {
      const key = `${file}\0${message}`;
      if (reported.has(key)) return;
      reported.add(key);
      onError(file, message);
    };
    this.queue = new BatchQueue<FollowBatch>(opts.highWaterEvents ?? 50_000, (b) => b.events.length);
    this.ctx = {
      componentOverride: opts.componentOverride,
      maxLineBytes: opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES,
      idleMs,
      partialMs,
      nextSeq: () => ++this.seq,
      emit: (source, events) => this.queue.put({ source, events }),
      onError: (source, message) => {
        source.stats.errors.push(message);
        this.onErrorOnce(source.display, message);
      },
      onGeneration: (print) => this.remember(print),
      claimCopy: (dev, ino) => this.byInode.get(inodeKey(dev, ino))?.undecided() ?? true,
      openFile: this.openFile,
      slot: (fn) => this.withSlot(fn),
    };
    this.ready = this.begin(opts);
    // A failure to start rejects `ready`; nobody awaiting it is no unhandled rejection.
    this.ready.catch(() => undefined);
    const sweepMs = opts.sweepMs ?? 2000;
    if (sweepMs > 0) {
      this.sweepTimer = setInterval(() => this.sweep(), sweepMs);
      this.sweepTimer.unref();
    }
  }

  sources(): readonly FollowedSource[] {
    return this.all.map((t) => t.info);
  }

  async settled(): Promise<void> {
    await this.control;
    await Promise.all(this.all.map((t) => t.settled()));
  }

  [Symbol.asyncIterator](): AsyncIterator<FollowBatch> {
    return {
      next: () => this.queue.next(),
      return: async () => {
        await this.close();
        return { value: undefined, done: true };
      },
    };
  }

  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  // -------------------------------------------------------------------------------------------
  // Starting and stopping

  private async begin(opts: FollowOptions): Promise<void> {
    const polling = opts.polling ?? false;
    const watcher = watch(this.roots, {
      ignoreInitial: true,
      persistent: true,
      // Rename-and-create must show as what it is: the inode check below tells the files apart.
      atomic: false,
      awaitWriteFinish: false,
      usePolling: polling !== false,
      interval: typeof polling === 'number' ? polling : 100,
      binaryInterval: typeof polling === 'number' ? polling : 100,
    });
    this.watcher = watcher;
    watcher.on('all', (event, path) => {
      if (event === 'add' || event === 'change' || event === 'unlink') this.touch(path);
    });
    // chokidar drops a 'change' whose mtime it thinks it has seen (after our own read updated the
    // atime, measured: one append in two went unreported), so every inotify event counts: it
    // names a file in a watched folder, or the watched file itself.
    watcher.on('raw', (_event, name, details) => {
      const watched = (details as { watchedPath?: unknown } | undefined)?.watchedPath;
      if (typeof watched !== 'string' || typeof name !== 'string') return;
      if (this.byPath.has(watched)) this.touch(watched);
      else if (name) this.touch(join(watched, name));
    });
    watcher.on('error', (err) => this.onErrorOnce(this.roots.join(', '), describeError(err)));
    await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
    if (this.closing) return;
    // Discovery after the watcher is ready: a file created in between is seen by one or the other.
    await this.inControl(async () => {
      await this.rediscover();
      for (const [path, input] of this.inputs) {
        if (input && !input.setAside && !this.byPath.has(path)) await this.checkPath(path, true);
      }
      this.initialized = true;
    });
    // Ready once every file present knows where it starts: a line appended after `ready` is read.
    await Promise.all(this.all.map((t) => t.started()));
    this.scheduleDrain();
  }

  private async shutDown(): Promise<void> {
    clearInterval(this.sweepTimer);
    // Readers must not wait for a consumer that may have stopped reading.
    this.queue.unbound();
    try {
      await this.ready;
    } catch {
      // reported
    }
    try {
      await this.watcher?.close();
    } catch (err) {
      this.onErrorOnce(this.roots.join(', '), describeError(err));
    }
    // Events that came before close() are still looked at: their lines were written before it.
    await this.inControl(() => this.drainDirty());
    for (const timer of this.retireTimers.values()) clearTimeout(timer);
    this.retireTimers.clear();
    await Promise.all(this.all.map((t) => t.finish()));
    this.queue.end();
  }

  // -------------------------------------------------------------------------------------------
  // File events

  /** A path changed (or appeared, or vanished): looked at soon, once however many events came. */
  private touch(path: string): void {
    if (this.closing) return;
    this.dirty.add(path);
    if (this.initialized) this.scheduleDrain();
  }

  private scheduleDrain(): void {
    if (this.drainScheduled || this.closing) return;
    this.drainScheduled = true;
    setImmediate(() => {
      this.drainScheduled = false;
      void this.inControl(() => this.drainDirty());
    });
  }

  /** Looks at every path named by an event since the last time. */
  private async drainDirty(): Promise<void> {
    const paths = [...this.dirty];
    this.dirty.clear();
    const round = { discovered: false };
    for (const path of paths) await this.checkPath(path, false, round);
    if (round.discovered) {
      // Files the walk found that no event named (created while the watcher was busy).
      for (const [path, input] of this.inputs) {
        if (input && !input.setAside && !this.byPath.has(path)) await this.checkPath(path, false, round);
      }
    }
  }

  /** Path-level decisions (which stream a path is) run one at a time. */
  private inControl(step: () => Promise<void>): Promise<void> {
    const next = this.control.then(step).catch((err: unknown) => this.onErrorOnce(this.roots.join(', '), describeError(err)));
    this.control = next;
    return next;
  }

  private async rediscover(): Promise<void> {
    // A file that vanishes during the walk is ordinary in a live tree (a rotation, a deleted
    // pod); only the inputs themselves missing at the start are worth a word.
    const warn = (file: string, message: string): void => {
      if (!this.initialized || !message.endsWith('(ENOENT)')) this.onErrorOnce(file, message);
    };
    const inputs = await resolveInputs(this.roots, undefined, warn);
    const map = new Map<string, SourceInput | null>();
    for (const input of inputs) {
      if (typeof input.input !== 'string') continue;
      map.set(input.input, input.setAside ? null : input);
    }
    this.inputs = map;
    const now = Date.now();
    for (const [path, until] of this.notFound) if (until <= now || map.has(path)) this.notFound.delete(path);
  }

  /** Which stream `path` is now, and what to do about it. */
  private async checkPath(path: string, initial: boolean, round = { discovered: true }): Promise<void> {
    let st: Stats;
    try {
      st = await stat(path);
    } catch (err) {
      if (isGone(err)) this.gone(path);
      else this.onErrorOnce(this.displayOf(path), describeError(err));
      return;
    }
    if (!st.isFile()) return;
    const tail = this.byPath.get(path);
    if (tail?.sameFile(st.dev, st.ino)) {
      tail.poke();
      return;
    }
    // The name now points at another file: the one we read was renamed away or deleted.
    if (tail) this.detach(path, tail);
    const known = this.byInode.get(inodeKey(st.dev, st.ino));
    if (known) {
      // A second name for a stream we read under its own (a containers/ link to a pods/ file)
      // is not a rename: the stream keeps its name.
      if (this.byPath.get(known.info.path) === known && (await this.sameInode(known.info.path, st))) known.poke();
      else this.adopt(path, known);
      return;
    }
    if (!this.inputs.has(path) && !round.discovered && !((this.notFound.get(path) ?? 0) > Date.now())) {
      // A file discovery has not seen: look again, once for all the events of this round.
      await this.rediscover();
      round.discovered = true;
      // Not found by the walk (a neighbour of a file given by name, a FIFO): not asked about for
      // a while, however often it is written to.
      if (!this.inputs.has(path)) this.notFound.set(path, Date.now() + NOT_FOUND_MS);
    }
    const input = this.inputs.get(path);
    if (!input || input.setAside) return;
    await this.startTail(path, input, initial);
  }

  private async sameInode(path: string, st: Stats): Promise<boolean> {
    try {
      const now = await stat(path);
      return now.dev === st.dev && now.ino === st.ino;
    } catch {
      return false;
    }
  }

  private async startTail(path: string, input: SourceInput, initial: boolean): Promise<void> {
    let tail: FileTail;
    try {
      tail = await FileTail.open(path, input, this.all.length + 1, this.ctx, this.openFile);
    } catch (err) {
      if (!isGone(err)) this.onErrorOnce(input.display, describeError(err));
      return;
    }
    const key = inodeKey(tail.info.dev, tail.info.ino);
    const known = this.byInode.get(key);
    if (known) {
      // Raced with a rename: it is a stream we already have.
      void tail.finish();
      this.adopt(path, known);
      return;
    }
    this.all.push(tail);
    this.byInode.set(key, tail);
    this.byPath.set(path, tail);

    if (initial) {
      if (!tail.info.gzip) void (this.start === 'end' ? tail.beginAtEnd() : tail.begin(0));
      else if (this.start === 'start') void tail.readWhole();
      else tail.markSeen(await this.gzipHead(path));
      return;
    }
    if (tail.info.gzip || !rotationName(path).live) {
      // A rotation name or a gzip: likely a copy of a stream read already.
      void tail.settleThenRead((head, size) => alreadyRead(path, head, size, this.printsExcept(tail)) ?? 0);
      return;
    }
    void tail.begin(0);
  }

  private async gzipHead(path: string): Promise<Buffer> {
    try {
      return (await readHead(path)).bytes;
    } catch {
      return Buffer.alloc(0);
    }
  }

  /** The path is gone: its stream is read on until retired, unless it shows up under another name. */
  private gone(path: string): void {
    const tail = this.byPath.get(path);
    if (tail) this.detach(path, tail);
  }

  private detach(path: string, tail: FileTail): void {
    this.byPath.delete(path);
    if (tail.info.state === 'ended') {
      // Nothing more to read from it; its inode may be reused by a new file.
      this.forget(tail);
      return;
    }
    tail.orphan();
    const timer = setTimeout(() => {
      this.retireTimers.delete(tail);
      if (this.closing || this.byInode.get(inodeKey(tail.info.dev, tail.info.ino)) !== tail) return;
      if ([...this.byPath.values()].includes(tail)) return; // adopted meanwhile
      void tail.finish().then(() => this.forget(tail));
    }, this.graceMs);
    this.retireTimers.set(tail, timer);
  }

  private adopt(path: string, tail: FileTail): void {
    const timer = this.retireTimers.get(tail);
    if (timer) {
      clearTimeout(timer);
      this.retireTimers.delete(tail);
    }
    if (this.byPath.get(tail.info.path) === tail) this.byPath.delete(tail.info.path);
    const previous = this.byPath.get(path);
    if (previous && previous !== tail) this.detach(path, previous);
    this.byPath.set(path, tail);
    tail.adopt(path);
  }

  /** A stream that is closed: its inode is free, what was read of it is kept for its copies. */
  private forget(tail: FileTail): void {
    const key = inodeKey(tail.info.dev, tail.info.ino);
    if (this.byInode.get(key) === tail) this.byInode.delete(key);
    for (const print of tail.prints()) this.remember(print);
  }

  private remember(print: ReadFingerprint): void {
    this.generations.push(print);
    if (this.generations.length > MAX_GENERATIONS) this.generations.shift();
  }

  private *printsExcept(self: FileTail): Iterable<ReadFingerprint> {
    yield* this.generations;
    for (const t of this.byInode.values()) if (t !== self) yield* t.prints();
  }

  private displayOf(path: string): string {
    return this.byPath.get(path)?.info.display ?? this.inputs.get(path)?.display ?? path;
  }

  /** Stats every followed file: a lost inotify event delays lines, it never loses them. */
  private sweep(): void {
    if (!this.initialized || this.closing) return;
    for (const tail of this.byInode.values()) {
      if (tail.info.state === 'orphaned') tail.poke();
    }
    for (const path of this.byPath.keys()) this.dirty.add(path);
    // A file given by name that did not exist at the start: chokidar may miss its creation
    // (measured: the first write to it went unreported). Folders are skipped by checkPath.
    for (const root of this.roots) if (!this.byPath.has(root)) this.dirty.add(root);
    this.scheduleDrain();
  }

  private async withSlot<T>(fn: () => Promise<T>): Promise<T> {
    while (this.slotsFree === 0) await new Promise<void>((r) => this.slotWaiters.push(r));
    this.slotsFree--;
    try {
      return await fn();
    } finally {
      this.slotsFree++;
      this.slotWaiters.shift()?.();
    }
  }
}
