/**
 * A minimal zip writer for the archive tests (stored or deflated entries, Unix modes so that an
 * entry can be a symbolic link): enough to build hostile archives that no zip tool would write.
 */
import { deflateRawSync, crc32 as zlibCrc32 } from 'node:zlib';

export interface ZipInput {
  name: string;
  data: Buffer;
  /** Unix mode bits (0o100644 file, 0o120777 link). */
  mode?: number;
  deflate?: boolean;
  /** Sets the "encrypted" flag (bit 0) and adds the 12-byte encryption header; the data itself is left plain. */
  encrypted?: boolean;
  /** The uncompressed size the headers declare, when it must lie (default: the data's length). */
  declaredSize?: number;
}

function crc32(buf: Buffer): number {
  return zlibCrc32(buf) >>> 0;
}

export function buildZip(entries: ZipInput[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const packed = e.deflate ? deflateRawSync(e.data) : e.data;
    // Traditional zip encryption puts a 12-byte header before the data (readers check for it).
    const body = e.encrypted ? Buffer.concat([Buffer.alloc(12, 0x5a), packed]) : packed;
    const crc = crc32(e.data);
    const method = e.deflate ? 8 : 0;
    const flags = 0x800 | (e.encrypted ? 0x1 : 0); // UTF-8 names, maybe encrypted
    const size = e.declaredSize ?? e.data.length;
    // Both headers carry the same run of fields (version needed .. name length); the central one
    // has "version made by" before it, so the run starts two bytes later.
    const fields = (buf: Buffer, at: number): void => {
      buf.writeUInt16LE(20, at);
      buf.writeUInt16LE(flags, at + 2);
      buf.writeUInt16LE(method, at + 4);
      buf.writeUInt32LE(crc, at + 10);
      buf.writeUInt32LE(body.length, at + 14);
      buf.writeUInt32LE(size, at + 18);
      buf.writeUInt16LE(name.length, at + 22);
    };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    fields(local, 4);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix
    fields(central, 6);
    central.writeUInt32LE(((e.mode ?? 0o100644) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}
