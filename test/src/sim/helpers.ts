/** Shared helpers for the simulator tests: small runs into temp dirs, cached per option set. */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { runSimulation, type RunSimulationOptions } from '../../../src/sim/index.js';

export interface Truth {
  file: string;
  line: number;
  objects: string[];
  incident: string | null;
}

export interface Run {
  dir: string;
  bundle: string;
  result: { lines: number; bytes: number; files: number };
  truth: Truth[];
  objects: { uid: string; kind: string; namespace: string | null; name: string; owners: string[]; created: string; deleted: string | null }[];
  incidents: { id: string; kind: string; root: string; start: string; end: string; components: string[] }[];
  files: string[];
  text(rel: string): string;
}

const cache = new Map<string, Promise<Run>>();
const made: string[] = [];

/** A fresh temp directory, removed by `cleanup()`. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Removes every directory the tests made (call it from `after`). */
export function cleanup(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
  cache.clear();
}

/** Runs a small simulation (cached by options) and loads its truth. */
export function sim(opts: Omit<RunSimulationOptions, 'out'>): Promise<Run> {
  const key = JSON.stringify(opts);
  let p = cache.get(key);
  if (!p) {
    p = (async () => {
      const dir = tempDir('ktrail-sim-');
      const result = await runSimulation({ durationSec: 300, scale: 0.3, ...opts, out: dir });
      return load(dir, result);
    })();
    cache.set(key, p);
  }
  return p;
}

export function load(dir: string, result: Run['result']): Run {
  const bundle = join(dir, 'bundle');
  const truth = readFileSync(join(dir, 'truth', 'lines.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as Truth);
  const objects = JSON.parse(readFileSync(join(dir, 'truth', 'objects.json'), 'utf8')) as Run['objects'];
  const incidents = JSON.parse(readFileSync(join(dir, 'truth', 'incidents.json'), 'utf8')) as Run['incidents'];
  const files = walk(bundle).map((f) => relative(bundle, f));
  return {
    dir,
    bundle,
    result,
    truth,
    objects,
    incidents,
    files,
    text: (rel) => {
      const buf = readFileSync(join(bundle, rel));
      return (rel.endsWith('.gz') ? gunzipSync(buf) : buf).toString('utf8');
    },
  };
}

export function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out;
}

/** Every line of every file matching `pattern` (bundle-relative path). */
export function linesOf(run: Run, pattern: RegExp): string[] {
  const out: string[] = [];
  for (const f of run.files) if (pattern.test(f)) out.push(...run.text(f).split('\n').filter((l) => l.length > 0));
  return out;
}
