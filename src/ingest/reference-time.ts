/**
 * A reference time for the sources whose timestamps have no year (journald short, klog without an
 * envelope). A file's mtime is a poor reference once a bundle has been copied or unpacked (it is
 * the copy's time), so we look for full timestamps in the other sources of the same run (a kind
 * bundle's CRI files carry RFC3339 times): the first one of each file, and the median over the files,
 * so that a date quoted inside a message (a certificate's expiry) cannot mislead it.
 */
import { open } from 'node:fs/promises';

const PEEK_BYTES = 16 * 1024;
const MAX_FILES = 64;
const ISO = /\b(20\d\d)-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)/g;

async function peek(path: string): Promise<string | undefined> {
  let fh;
  try {
    fh = await open(path, 'r');
    const buf = Buffer.alloc(PEEK_BYTES);
    const { bytesRead } = await fh.read(buf, 0, PEEK_BYTES, 0);
    const head = buf.subarray(0, bytesRead);
    // gzip and binary content carry no readable timestamps at their start.
    if (head[0] === 0x1f && head[1] === 0x8b) return undefined;
    if (head.includes(0)) return undefined;
    return head.toString('utf8');
  } catch {
    return undefined; // the read itself will report the problem
  } finally {
    await fh?.close();
  }
}

/** The median of the files' first full timestamps, in epoch µs, or undefined when none has one. */
export async function findReferenceTime(paths: readonly string[], now: number = Date.now()): Promise<number | undefined> {
  const firsts: number[] = [];
  for (const path of paths.slice(0, MAX_FILES)) {
    const text = await peek(path);
    if (!text) continue;
    for (const m of text.matchAll(ISO)) {
      const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
      if (Number.isNaN(ms) || ms > now) continue;
      firsts.push(ms);
      break;
    }
  }
  if (firsts.length === 0) return undefined;
  firsts.sort((a, b) => a - b);
  return firsts[Math.floor(firsts.length / 2)]! * 1000;
}
