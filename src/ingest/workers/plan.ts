/**
 * How many parse workers a read uses: one per core when the files are big enough for the threads'
 * start-up (each worker loads the parsers: about WORKER_START_MS) to pay off, none otherwise.
 * KTRAIL_WORKERS=N forces N workers (0: everything on the main thread).
 */
import { availableParallelism } from 'node:os';

/**
 * Below this many bytes of files the main thread reads alone. Measured (see docs/architecture.md,
 * read path): a worker costs about 60 ms to start and load the parsers, and the main thread
 * parses about 30 MB/s, so under ~16 MB the threads' start-up eats what they save.
 */
export const MIN_PARALLEL_BYTES = 16 * 1024 * 1024;

export function workerCount(fileBytes: number, files: number, env: NodeJS.ProcessEnv = process.env): number {
  if (files === 0) return 0;
  const forced = env['KTRAIL_WORKERS'];
  if (forced !== undefined && forced !== '') {
    const n = Number(forced);
    if (Number.isInteger(n) && n >= 0) return Math.min(n, files);
  }
  if (fileBytes < MIN_PARALLEL_BYTES) return 0;
  return Math.min(availableParallelism(), files);
}
