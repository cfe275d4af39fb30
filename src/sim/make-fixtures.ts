/**
 * Regenerates the simulator fixtures: one small bundle (with its truth) per scenario, plus a
 * '1.20' and a klog-JSON variant, under fixtures/sim/<name>/. Each stays under 1 MB; small
 * containerLogMaxSize values make some fixtures carry rotated and gzip-compressed container logs;
 * dns-failure runs across a new year (klog headers have no year: 1231 23:59:59 then 0101 00:00:00).
 * Run: `node dist/src/sim/make-fixtures.js [fixtures-dir]`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runSimulation, type RunSimulationOptions } from './index.js';

export interface FixtureSpec {
  name: string;
  options: Omit<RunSimulationOptions, 'out'>;
}

// Only healthy-rollout keeps the >16 KiB request (CRI P records): it weighs 60 KB.
const BASE = { seed: 42, durationSec: 150, scale: 0.02, skewMs: 400, longLines: false } as const;

export const FIXTURES: readonly FixtureSpec[] = [
  { name: 'healthy-rollout', options: { ...BASE, scenario: 'healthy-rollout', containerLogMaxSize: 40 * 1024, longLines: true } },
  { name: 'image-pull-backoff', options: { ...BASE, scenario: 'image-pull-backoff' } },
  { name: 'crashloop', options: { ...BASE, scenario: 'crashloop' } },
  { name: 'unschedulable', options: { ...BASE, scenario: 'unschedulable' } },
  { name: 'node-not-ready', options: { ...BASE, scenario: 'node-not-ready', durationSec: 168 } },
  { name: 'etcd-leader-loss', options: { ...BASE, scenario: 'etcd-leader-loss', scale: 0, containerLogMaxSize: 32 * 1024 } },
  { name: 'dns-failure', options: { ...BASE, scenario: 'dns-failure', start: '2025-12-31T23:58:30Z' } },
  { name: 'service-no-endpoints', options: { ...BASE, scenario: 'service-no-endpoints' } },
  { name: 'mixed', options: { ...BASE, scenario: 'mixed', durationSec: 150, scale: 0, nodes: 4, longLines: false, apiserverVerbosity: 2 } },
  { name: 'crashloop-k8s-1.20', options: { ...BASE, scenario: 'crashloop', k8sVersion: '1.20' } },
  { name: 'service-no-endpoints-json', options: { ...BASE, scenario: 'service-no-endpoints', loggingFormat: 'json', scale: 0.01 } },
];

function defaultDir(): string {
  // dist/src/sim/make-fixtures.js -> <repo>/fixtures/sim
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'fixtures', 'sim');
}

export async function makeFixtures(dir = defaultDir()): Promise<{ name: string; lines: number; bytes: number; files: number }[]> {
  mkdirSync(dir, { recursive: true });
  const made = [];
  for (const f of FIXTURES) {
    const r = await runSimulation({ ...f.options, out: join(dir, f.name) });
    made.push({ name: f.name, ...r });
  }
  const rows = FIXTURES.map((f) => `| ${f.name} | \`${JSON.stringify(f.options)}\` |`);
  writeFileSync(
    join(dir, 'README.md'),
    [
      '# Simulated bundles',
      '',
      'Written by `node dist/src/sim/make-fixtures.js` (src/sim/make-fixtures.ts); do not edit by hand.',
      'Each folder holds `bundle/` (a `kind export logs` layout) and `truth/` (lines.jsonl, objects.json, incidents.json).',
      '',
      '| fixture | runSimulation options |',
      '|---|---|',
      ...rows,
      '',
    ].join('\n'),
  );
  return made;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const m of await makeFixtures(process.argv[2])) console.log(`${m.name}: ${m.lines} lines, ${m.bytes} bytes, ${m.files} files`);
}
