/**
 * Where an archive entry may be written: only below the extraction folder. An entry name is the
 * archive author's text, so it is checked before anything touches the disk: absolute paths
 * (`/etc/x`, `\\server\share`), drive letters (`C:`), `..` segments, NUL bytes and names that
 * normalize to nothing are refused. Backslashes count as separators, since archives written on
 * Windows use them and a Windows extractor would follow them.
 */
import { join, relative, resolve, sep, isAbsolute } from 'node:path';

export type EntryPathCheck = { ok: true; relative: string } | { ok: false; reason: string };

export function checkEntryPath(name: string): EntryPathCheck {
  if (name.includes('\0')) return { ok: false, reason: 'the name holds a NUL byte' };
  const slashed = name.replace(/\\/g, '/');
  if (slashed.startsWith('/')) return { ok: false, reason: 'absolute path' };
  if (/^[A-Za-z]:/.test(slashed)) return { ok: false, reason: 'path with a drive letter' };
  const parts: string[] = [];
  for (const part of slashed.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') return { ok: false, reason: 'path escapes the extraction folder (..)' };
    parts.push(part);
  }
  if (parts.length === 0) return { ok: false, reason: 'empty path' };
  return { ok: true, relative: parts.join('/') };
}

/**
 * The absolute target of a checked relative path under `root`; throws if it would land outside
 * (a second line of defence should checkEntryPath ever miss a form).
 */
export function targetPath(root: string, rel: string): string {
  const base = resolve(root);
  const target = resolve(join(base, rel));
  const back = relative(base, target);
  if (back === '' || back.startsWith('..' + sep) || back === '..' || isAbsolute(back)) {
    throw new Error(`entry path ${rel} resolves outside ${base}`);
  }
  return target;
}
