/**
 * Reading a .tar, .tar.gz or .tgz with tar-stream (entry by entry, nothing follows links), the
 * gzip layer with node:zlib. The compressed bytes consumed are counted as the entries stream,
 * so that a single entry's ratio can be judged (a tar.gz has no per-entry sizes of its own).
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { StopExtraction, type EntryType, type Extraction } from './extraction.js';

/** The part of tar-stream's API used here (written against tar-stream 3; 2.x has the same). */
interface TarHeader {
  name: string;
  size?: number | null;
  type?: string | null;
  linkname?: string | null;
}
type EntryStream = AsyncIterable<Buffer> & { resume(): unknown };
interface TarExtract {
  on(event: 'entry', listener: (header: TarHeader, stream: EntryStream, next: (err?: Error) => void) => void): TarExtract;
  on(event: string, listener: (...args: never[]) => void): TarExtract;
  once(event: string, listener: (...args: never[]) => void): TarExtract;
  removeListener(event: string, listener: (...args: never[]) => void): TarExtract;
  write(chunk: Buffer): boolean;
  end(): void;
  destroy(err?: Error): void;
}
interface TarStreamModule {
  extract(): TarExtract;
}

/**
 * tar-stream ships no types of its own; it is loaded through a variable specifier so that the
 * build does not depend on @types/tar-stream being installed (the interface above is the contract).
 */
async function loadTarStream(): Promise<TarStreamModule> {
  const specifier = 'tar-stream';
  try {
    const mod = (await import(specifier)) as { default?: TarStreamModule } & TarStreamModule;
    return mod.default ?? mod;
  } catch (err) {
    throw new Error(`reading tar archives needs the tar-stream package (${(err as Error).message})`);
  }
}

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

function waitForDrain(extract: TarExtract): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      extract.removeListener('drain', done);
      extract.removeListener('error', done);
      extract.removeListener('close', done);
      resolve();
    };
    extract.once('drain', done);
    extract.once('error', done);
    extract.once('close', done);
  });
}

export async function extractTar(file: string, gzip: boolean, ex: Extraction): Promise<void> {
  const tar = await loadTarStream();
  const extract = tar.extract();
  const source = createReadStream(file, { highWaterMark: 64 * 1024 });
  let compressed = 0;
  source.on('data', (chunk: string | Buffer) => {
    compressed += chunk.length;
  });
  let stopped: Error | undefined;
  const finished = new Promise<void>((resolve, reject) => {
    extract.on('finish', () => resolve());
    extract.on('error', (err: Error) => reject(err));
  });
  // Observed by the loop below; the promise's own rejection is handled where it is awaited.
  finished.catch(() => undefined);

  extract.on('entry', (header, stream, next) => {
    const handle = async (): Promise<void> => {
      const type = entryType(header.type);
      const size = typeof header.size === 'number' ? header.size : undefined;
      const admission = ex.admit(header.name, type, type === 'file' ? size : undefined, header.linkname ?? undefined);
      if (!admission.write) return ex.skip(stream, header.name);
      if (type === 'directory') {
        await ex.directory(admission);
        return ex.skip(stream, header.name);
      }
      return ex.write(admission, stream, gzip ? { compressedSoFar: () => compressed } : {});
    };
    handle().then(
      () => next(),
      (err: Error) => {
        stopped = err;
        extract.destroy(err);
      },
    );
  });

  const input: Readable = gzip ? source.pipe(createGunzip()) : source;
  if (gzip) source.on('error', (err) => input.destroy(err));
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      if (stopped) break;
      if (!extract.write(chunk)) await waitForDrain(extract);
    }
    if (!stopped) extract.end();
    await finished;
  } catch (err) {
    const cause = stopped ?? (err as Error);
    if (cause instanceof StopExtraction) ex.result.stopped = cause.message;
    else ex.result.stopped = `the archive is damaged or unreadable past this point: ${cause.message}`;
  } finally {
    source.destroy();
  }
  if (stopped && !ex.result.stopped) {
    ex.result.stopped = stopped instanceof StopExtraction ? stopped.message : `extraction failed: ${stopped.message}`;
  }
}
