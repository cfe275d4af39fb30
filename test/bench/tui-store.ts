/**
 * A large store for the TUI benchmark: synthetic events (components, hosts, severities, refs and
 * messages shaped like cluster logs) written with the real writer. Built once per machine and
 * kept in the temp folder, because writing a million events takes about half a minute and the
 * figures measured are about reading it.
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLUSTER_COMPONENTS, type KEvent, type Severity } from '../../src/model/event.js';
import { createWriter, openStore } from '../../src/store/writer.js';

/** mulberry32: small, fast, deterministic. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOSTS = ['kind-control-plane', 'kind-worker', 'kind-worker2', 'kind-worker3'];
const MESSAGES = [
  'SyncLoop (PLEG): event for pod',
  'Observed pod startup duration',
  'HTTP',
  'Successfully bound pod to node',
  'apply request took too long',
  'Error syncing pod, skipping',
  'Back-off restarting failed container',
  'Updating ready status of node',
  'Started container',
  'Failed to update lease',
];
const T0 = Date.UTC(2025, 2, 21, 14, 0, 0) * 1000;

function severityFor(r: number): Severity {
  if (r < 0.04) return 'debug';
  if (r < 0.9) return 'info';
  if (r < 0.97) return 'warn';
  if (r < 0.999) return 'error';
  return 'fatal';
}

/** Writes `n` events (about 3.6 s of log per thousand events) into a new store at `file`. */
export function writeBenchStore(file: string, n: number): void {
  const store = openStore(file);
  try {
    const writer = createWriter(store, { batchSize: 20_000 });
    const files = HOSTS.flatMap((h) => CLUSTER_COMPONENTS.map((c) => `${h}/${c}.log`));
    const ids = new Map<string, number>();
    for (const f of files) ids.set(f, writer.beginSource({ path: `/bench/${f}`, display: f, size: 1, mtime: 0, fingerprint: f }).id);
    const r = rng(7);
    const lines = new Map<string, number>();
    let time = T0;
    const batch: KEvent[] = [];
    for (let seq = 1; seq <= n; seq++) {
      time += Math.floor(r() * 7_200);
      const host = HOSTS[Math.floor(r() * HOSTS.length)]!;
      const component = CLUSTER_COMPONENTS[Math.floor(r() * CLUSTER_COMPONENTS.length)]!;
      const file = `${host}/${component}.log`;
      const line = (lines.get(file) ?? 0) + 1;
      lines.set(file, line);
      const pod = `web-${Math.floor(r() * 500)}`;
      const message = MESSAGES[Math.floor(r() * MESSAGES.length)]!;
      batch.push({
        seq,
        time,
        component,
        host,
        severity: severityFor(r()),
        message: `${message} pod="default/${pod}"`,
        fields: { pod: `default/${pod}`, took: `${Math.floor(r() * 900)}ms` },
        objects: [{ kind: 'Pod', namespace: 'default', name: pod, via: 'field', key: 'pod' }],
        source: { file, line, endLine: line, format: 'none/klog' },
        raw: `I0321 14:00:00.000000 1 x.go:1] ${message} pod="default/${pod}"`,
        format: 'klog',
      });
      if (batch.length === 20_000) writer.addMergedEvents(batch.splice(0), ids);
    }
    writer.addMergedEvents(batch.splice(0), ids);
    writer.completeSources(files.map((f) => ({ id: ids.get(f)!, stats: undefined })));
    writer.close();
  } finally {
    store.close();
  }
}

/** The path of a store of `n` synthetic events, built on first use. */
export function benchStore(n: number): string {
  const file = join(tmpdir(), `ktrail-bench-tui-${n}-v1.db`);
  if (existsSync(file)) return file;
  const partial = `${file}.partial`;
  rmSync(partial, { force: true });
  writeBenchStore(partial, n);
  for (const suffix of ['-wal', '-shm']) rmSync(partial + suffix, { force: true });
  renameSync(partial, file);
  return file;
}
