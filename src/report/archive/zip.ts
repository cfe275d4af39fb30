/**
 * Reading a .zip with yauzl: entries one at a time (lazyEntries), names left undecoded so that
 * yauzl does not reject the whole archive at the first unsafe name (ktrail refuses that entry
 * and goes on), and yauzl's check that each entry inflates to the size its header declares.
 */
import type { Readable } from 'node:stream';
import yauzl, { type Entry as ZipEntry, type ZipFile } from 'yauzl';
import { StopExtraction, type EntryType, type Extraction } from './extraction.js';

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;

function entryName(e: ZipEntry): string {
  // With decodeStrings off, yauzl hands the raw bytes (its types say string).
  const raw = e.fileName as unknown as Buffer | string;
  if (typeof raw === 'string') return raw;
  // Bit 11: the name is UTF-8; otherwise it is CP437, whose ASCII half is what log bundles use.
  return raw.toString(e.generalPurposeBitFlag & 0x800 ? 'utf8' : 'latin1');
}

function entryType(e: ZipEntry, name: string): EntryType {
  // The upper 16 bits carry a Unix mode when the archive was made on Unix (0 otherwise).
  const mode = (e.externalFileAttributes >>> 16) & S_IFMT;
  if (mode === S_IFLNK) return 'symlink';
  if (mode === S_IFDIR || name.endsWith('/') || name.endsWith('\\')) return 'directory';
  if (mode === 0 || mode === S_IFREG) return 'file';
  return 'other';
}

function openStream(zip: ZipFile, entry: ZipEntry): Promise<Readable> {
  return new Promise((resolve, reject) => zip.openReadStream(entry, (err, stream) => (err || !stream ? reject(err ?? new Error('no stream')) : resolve(stream))));
}

export async function extractZip(file: string, ex: Extraction): Promise<void> {
  const zip = await new Promise<ZipFile>((resolve, reject) =>
    yauzl.open(
      file,
      { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, autoClose: false, strictFileNames: false },
      (err, z) => (err || !z ? reject(err ?? new Error('not a zip file')) : resolve(z)),
    ),
  );
  try {
    await new Promise<void>((resolve, reject) => {
      let failed = false;
      const fail = (err: Error): void => {
        if (failed) return;
        failed = true;
        reject(err);
      };
      zip.on('error', fail);
      zip.on('end', () => resolve());
      zip.on('entry', (entry) => {
        handleEntry(zip, entry, ex).then(() => zip.readEntry(), fail);
      });
      zip.readEntry();
    });
  } catch (err) {
    if (err instanceof StopExtraction) ex.result.stopped = err.message;
    else ex.result.stopped = `the archive is damaged or unreadable past this point: ${(err as Error).message}`;
  } finally {
    zip.close();
  }
}

async function handleEntry(zip: ZipFile, entry: ZipEntry, ex: Extraction): Promise<void> {
  const name = entryName(entry);
  const type = entryType(entry, name);
  const admission = ex.admit(name, type, type === 'file' ? entry.uncompressedSize : undefined);
  // Nothing to read for a refused zip entry: its data is skipped by offset, not by inflating it.
  if (!admission.write) return;
  if (type === 'directory') return ex.directory(admission);
  if (entry.isEncrypted()) {
    ex.refuse(name, 'encrypted: set aside');
    return;
  }
  const declaredRatio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
  if (entry.uncompressedSize >= ex.limits.ratioFloorBytes && declaredRatio > ex.limits.maxRatio) {
    ex.refuse(name, `compression ratio ${Math.round(declaredRatio)}:1 is over ${ex.limits.maxRatio}:1: a compression bomb?`);
    return;
  }
  let stream: Readable;
  try {
    stream = await openStream(zip, entry);
  } catch (err) {
    ex.refuse(name, `unreadable: ${(err as Error).message}`);
    return;
  }
  // yauzl inflates ahead and hands on a damaged entry's error (or a size its header understates)
  // with a bare emit, which can come before ex.write starts reading: with no listener yet, that
  // was an uncaught exception that ended ktrail. Make it the stream's own error state instead,
  // which the reader meets and turns into "unreadable: ..." for this entry alone.
  stream.on('error', (err: Error) => stream.destroy(err));
  await ex.write(admission, stream as AsyncIterable<Buffer>, { compressedSize: entry.compressedSize });
}
