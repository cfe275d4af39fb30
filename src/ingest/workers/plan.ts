/**
 * How many parse workers a read uses: one per core when the files are big enough for the threads'
 * start-up (each worker loads the parsers) and each source's cost on a worker to pay off, none
 * otherwise.
 * KTRAIL_WORKERS=N forces N workers (0: everything on the main thread).
 */
import { availableParallelism } from 'node:os';

/**
 * Below this many bytes of files the main thread reads alone. Measured: a worker costs about
 * 80 ms of CPU to start and load the parsers (the 0.6 MB kind bundle: 0.40 s CPU alone, 0.57 s
 * with two workers), and one thread reads about 20 MB/s (scale 20: 160 MB in 8 s), so a few MB
 * pay the start-up back at best; the 14 MB failure-cases capture still took 0.4 s more CPU with
 * two workers (at a load average of 29, where no wall time could be read).
 */
export const MIN_PARALLEL_BYTES = 16 * 1024 * 1024;

/**
 * Below this many bytes per file on average the main thread reads alone too: a source on a worker
 * costs its opening, its batches' messages and its parser state in each thread, which small files
 * never pay back. Measured on the OpenShift must-gather as published (3,526 files, 97 MB
 * unpacked, 27 KB a file; 3 runs each in turns): unpacked 5.2-7.5 s, 7.0-9.6 s of CPU and
 * 215-236 MB on the main thread against 5.9-6.3 s, 9.5-10.0 s and 286-297 MB with two workers;
 * its .tar.xz 7.3-8.3 s and 240-244 MB against 8.4-9.4 s and 318-325 MB (over the 300 MB read
 * aim). The simulated scale-20 bundle (2.2 MB a file) and a single big file still get workers.
 */
export const MIN_PARALLEL_FILE_BYTES = 256 * 1024;

export function workerCount(fileBytes: number, files: number, env: NodeJS.ProcessEnv = process.env): number {
  if (files === 0) return 0;
  const forced = env['KTRAIL_WORKERS'];
  if (forced !== undefined && forced !== '') {
    const n = Number(forced);
    if (Number.isInteger(n) && n >= 0) return Math.min(n, files);
  }
  if (fileBytes < MIN_PARALLEL_BYTES || fileBytes / files < MIN_PARALLEL_FILE_BYTES) return 0;
  return Math.min(availableParallelism(), files);
}
