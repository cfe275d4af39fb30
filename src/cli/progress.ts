/**
 * Progress of long reads (ingest, ci, the first open of a bundle by a store-backed command):
 * files, lines, lines per second and time left, drawn by cli-progress on stderr when stderr is a
 * terminal, and nothing at all otherwise (a pipe or a CI log gets no redraw noise). cli-progress
 * is loaded only when a bar is drawn.
 *
 * The fraction done is the input bytes the events so far came from (their raw lines) over the
 * inputs' sizes (src/ingest/input-bytes.ts: a gzip file by its trailer's uncompressed size); lines dropped without an event
 * (headers, journal twins) are not counted, so the bar may end short of 100% and is then closed.
 */
import type { SingleBar } from 'cli-progress';
import type { KEvent } from '../model/event.js';

export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export interface ReadProgress {
  /** Counts the events of a batch (and redraws, at most a few times a second). */
  add(batch: readonly KEvent[]): void;
  /** Ends the bar and clears its line. */
  stop(): void;
}

function compact(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n >= 1e4 ? `${Math.round(n / 1e3)}k` : String(Math.round(n));
}

/**
 * A progress bar over reading `files` inputs of `totalBytes` in all, or undefined when `stream`
 * is not a terminal (or there is nothing to read).
 */
export async function createReadProgress(opts: {
  stream: ProgressStream;
  label: string;
  files: number;
  totalBytes: number;
}): Promise<ReadProgress | undefined> {
  if (opts.stream.isTTY !== true || opts.totalBytes <= 0) return undefined;
  const { SingleBar, Presets } = (await import('cli-progress')).default;
  const bar: SingleBar = new SingleBar(
    {
      stream: opts.stream as NodeJS.WritableStream,
      format: `${opts.label} {bar} {percentage}% | {files} files | {lines} lines | {rate} lines/s | {eta_formatted} left`,
      barsize: 20,
      hideCursor: true,
      clearOnComplete: true,
      fps: 5,
      etaBuffer: 50,
    },
    Presets.shades_classic,
  );
  const started = Date.now();
  let bytes = 0;
  let lines = 0;
  const payload = (): Record<string, string> => {
    const seconds = Math.max(0.001, (Date.now() - started) / 1000);
    return { files: String(opts.files), lines: compact(lines), rate: compact(lines / seconds) };
  };
  bar.start(opts.totalBytes, 0, payload());
  return {
    add(batch) {
      for (const e of batch) {
        bytes += e.raw.length + 1;
        lines += e.source.endLine - e.source.line + 1;
      }
      // Never 100% before the end: estimates may run ahead (multi-byte text, a gzip over 4 GiB).
      bar.update(Math.min(bytes, opts.totalBytes - 1), payload());
    },
    stop() {
      bar.stop();
    },
  };
}

/** Passes batches through unchanged, counting them on `progress`; the bar ends with the stream. */
export async function* withProgress(events: AsyncIterable<KEvent[]>, progress: ReadProgress | undefined): AsyncGenerator<KEvent[]> {
  try {
    for await (const batch of events) {
      progress?.add(batch);
      yield batch;
    }
  } finally {
    progress?.stop();
  }
}
