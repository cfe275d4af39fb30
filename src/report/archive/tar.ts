/**
 * Reading a .tar, .tar.gz/.tgz, .tar.xz/.txz or .tar.zst/.tzst with tar-stream (entry by entry,
 * nothing follows links), the gzip layer with node:zlib, the xz layer with lzma-native (liblzma,
 * streaming: an OpenShift must-gather is published as .tar.xz), the zstd layer with libzstd
 * (zstd.ts). The compressed bytes consumed are counted as the entries stream, so that a single
 * entry's ratio can be judged (a tar.gz has no per-entry sizes of its own).
 */
import { createReadStream } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';
import lzma from 'lzma-native';
import tarStream from 'tar-stream';
import { StopExtraction, type EntryType, type Extraction } from './extraction.js';
import { unzstd } from './zstd.js';
import { drained } from '../../util/drain.js';

function entryType(type: string | null | undefined): EntryType {
  switch (type ?? 'file') {
    case 'file':
    case 'contiguous-file':
      return 'file';
    case 'directory':
      return 'directory';
    case 'symlink':
      return 'symlink';
    case 'link':
      return 'hardlink';
    default:
      return 'other';
  }
}

export type TarCompression = 'gzip' | 'xz' | 'zstd' | undefined;

function decompressor(compression: 'gzip' | 'xz'): Transform {
  return compression === 'gzip' ? createGunzip() : lzma.createDecompressor();
}

export async function extractTar(file: string, compression: TarCompression, ex: Extraction): Promise<void> {
  const extract = tarStream.extract();
  const source = createReadStream(file, { highWaterMark: 64 * 1024 });
  // Counted as the decompressor takes them (not as the file is read ahead): the closer to what the
  // entries came from, the better an entry's ratio is judged.
  let compressed = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      compressed += chunk.length;
      done(null, chunk);
    },
  });
  let stopped: Error | undefined;
  const finished = new Promise<void>((resolve, reject) => {
    extract.on('finish', () => resolve());
    extract.on('error', (err: Error) => reject(err));
  });
  // Observed by the loop below; the promise's own rejection is handled where it is awaited.
  finished.catch(() => undefined);

  let inflight: Promise<void> = Promise.resolve();
  extract.on('entry', (header, stream, next) => {
    const handle = async (): Promise<void> => {
      const type = entryType(header.type);
      const size = typeof header.size === 'number' ? header.size : undefined;
      const admission = ex.admit(header.name, type, type === 'file' ? size : undefined, header.linkname ?? undefined);
      if (!admission.write) return ex.readPast(stream as AsyncIterable<Buffer>, header.name);
      if (type === 'directory') {
        await ex.directory(admission);
        return ex.readPast(stream as AsyncIterable<Buffer>, header.name);
      }
      return ex.write(admission, stream as AsyncIterable<Buffer>, compression ? { compressedSoFar: () => compressed } : {});
    };
    inflight = handle().then(
      () => next(),
      (err: Error) => {
        stopped = err;
        extract.destroy(err);
      },
    );
  });

  const counted = (): Readable => source.pipe(counter);
  const input: Readable | AsyncIterable<Buffer> =
    compression === 'zstd' ? unzstd(counted()) : compression ? counted().pipe(decompressor(compression)) : source;
  if (compression && input instanceof Readable) {
    source.on('error', (err) => input.destroy(err));
    counter.on('error', (err) => input.destroy(err));
  } else if (compression) {
    // unzstd reads the counter: an error of the file reaches it through the counter.
    source.on('error', (err) => counter.destroy(err));
  }
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      if (stopped) break;
      if (!extract.write(chunk)) await drained(extract);
    }
    if (!stopped) (extract as unknown as NodeJS.WritableStream).end();
    await finished;
  } catch (err) {
    const cause = stopped ?? (err as Error);
    if (cause instanceof StopExtraction) ex.result.stopped = cause.message;
    else ex.result.stopped = `the archive is damaged or unreadable past this point: ${cause.message}`;
  } finally {
    // An entry cut short by the damage is still being written: end its stream and let it finish
    // (it removes what it wrote and says why) before the result is handed back.
    extract.destroy();
    source.destroy();
    await inflight;
  }
  if (stopped && !ex.result.stopped) {
    ex.result.stopped = stopped instanceof StopExtraction ? stopped.message : `extraction failed: ${stopped.message}`;
  }
}
