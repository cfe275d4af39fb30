/**
 * The cluster label of the rows follow mode writes: `--cluster` when given, else what a one-shot
 * ingest of the same PATH would store (cluster-name.ts: a bundle's own name, a folder's name, ''
 * for a file given by name). A followed stream belongs to the PATH it was found under.
 */
import { stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { clusterNameOf } from './cluster-name.js';

export async function followClusters(paths: readonly string[], cluster?: string): Promise<(file: { path: string }) => string> {
  if (cluster !== undefined) return () => cluster;
  const named: { root: string; cluster: string }[] = [];
  for (const given of paths) {
    const isDir = await stat(given).then(
      (s) => s.isDirectory(),
      () => false,
    );
    named.push({ root: resolve(given), cluster: await clusterNameOf({ given, root: isDir ? given : undefined }) });
  }
  return (file) => {
    const path = resolve(file.path);
    return named.find((n) => path === n.root || path.startsWith(n.root.endsWith(sep) ? n.root : n.root + sep))?.cluster ?? '';
  };
}
