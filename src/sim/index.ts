/**
 * ktrail's simulated cluster. `runSimulation` writes a `kind export logs`-shaped bundle of a
 * simulated kind cluster (OUT/bundle/) and the ground truth of every line (OUT/truth/): which
 * objects each line is about and which injected fault, if any, it shows. Output is a pure
 * function of the options: the same seed gives byte-identical files.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bootstrap } from './behave/bootstrap.js';
import { startBackground } from './behave/background.js';
import { podWatchers } from './behave/controllers.js';
import { isoMicros } from './format/time.js';
import { objectJson } from './model.js';
import { appsFor, controlPlanesFor, injectScenario, isScenario, SCENARIOS } from './scenarios.js';
import { writeEvents } from './truth.js';
import { SEC, World, type SimOptions } from './world.js';

export { SCENARIOS } from './scenarios.js';

export interface RunSimulationOptions {
  /** One of SCENARIOS. */
  scenario: string;
  /** Same seed and options: byte-identical output. */
  seed: number;
  /** Output directory: OUT/bundle and OUT/truth are (re)written, nothing else in OUT is touched. */
  out: string;
  /**
   * Nodes, control planes included (default 3; `mixed` 6). etcd-leader-loss always runs three
   * control planes; `mixed` does from six nodes on (and then includes the etcd leader loss).
   */
  nodes?: number;
  /** Simulated time from cluster creation (default 600; at least 150, the scenarios need it). */
  durationSec?: number;
  /** Each non-first node's clock is off by a fixed amount drawn from [-skewMs, +skewMs] (default 0). */
  skewMs?: number;
  /** Background load multiplier: API reads and DNS queries per second (default 1; `mixed` x3). */
  scale?: number;
  k8sVersion?: '1.32' | '1.20';
  /** 'json' switches the klog components (not etcd, CoreDNS, containerd) to klog JSON. */
  loggingFormat?: 'text' | 'json';
  /** Kubelet containerLogMaxSize in bytes (kind's default: 10 MiB). */
  containerLogMaxSize?: number;
  /** Kubelet containerLogMaxFiles (default 5). */
  containerLogMaxFiles?: number;
  /** Cluster creation time, ISO 8601 (default 2025-03-21T14:51:13Z). */
  start?: string;
  /** Include one request whose log lines exceed the CRI 16 KiB limit (default true). */
  longLines?: boolean;
  /**
   * The apiserver's -v level (default 3, which logs an `HTTP` line per request, as raw-klog-1.19
   * does). Below 3 there are no HTTP lines, as with kind's default apiserver: requests then show
   * only in the audit log (and in Trace blocks when slow).
   */
  apiserverVerbosity?: number;
}

export interface RunSimulationResult {
  lines: number;
  bytes: number;
  files: number;
}

const DEFAULT_START = '2025-03-21T14:51:13Z';

export async function runSimulation(opts: RunSimulationOptions): Promise<RunSimulationResult> {
  if (!isScenario(opts.scenario)) throw new Error(`unknown scenario "${opts.scenario}" (one of: ${SCENARIOS.join(', ')})`);
  const scenario = opts.scenario;
  const controlPlanes = controlPlanesFor(scenario, opts.nodes);
  const minNodes = controlPlanes + (scenario === 'node-not-ready' || scenario === 'mixed' ? 2 : 1);
  const nodes = Math.max(opts.nodes ?? (scenario === 'mixed' ? 6 : 3), minNodes);
  const durationSec = Math.max(opts.durationSec ?? 600, 150);
  const startMs = Date.parse(opts.start ?? DEFAULT_START);
  if (Number.isNaN(startMs)) throw new Error(`bad start time "${opts.start}"`);
  const o: SimOptions = {
    scenario,
    seed: opts.seed,
    out: opts.out,
    nodes,
    durationSec,
    skewMs: opts.skewMs ?? 0,
    scale: (opts.scale ?? 1) * (scenario === 'mixed' ? 3 : 1),
    k8sVersion: opts.k8sVersion ?? '1.32',
    loggingFormat: opts.loggingFormat ?? 'text',
    controlPlanes,
    longLines: opts.longLines ?? true,
    apiserverVerbosity: opts.apiserverVerbosity ?? 3,
    rotation: { maxBytes: opts.containerLogMaxSize ?? 10 * 1024 * 1024, maxFiles: opts.containerLogMaxFiles ?? 5 },
    start: startMs * 1000,
  };
  const w = new World(o, podWatchers);
  const boot = bootstrap(w, appsFor(scenario));
  startBackground(w, w.opts.start + 30 * SEC);
  const span = w.end - boot.appsReady;
  injectScenario(w, scenario, boot.appsReady + Math.max(10 * SEC, Math.floor(span * 0.2)));
  w.run();

  // Static text files of the bundle.
  w.out.writeText('kind-version.txt', 'kind v0.27.0 go1.23.6 linux/amd64');
  for (const n of w.nodes) w.out.writeText(`${n.name}/kubernetes-version.txt`, w.version);
  writeEvents(w);
  w.out.finish();

  // Ground truth.
  const objs = w.objects.map((ob) => objectJson(ob, isoMicros));
  writeFileSync(join(w.out.truthDir, 'objects.json'), '[\n' + objs.join(',\n') + '\n]\n');
  const incidents = w.incidents.map((i) => ({
    id: i.id,
    kind: i.kind,
    root: i.root,
    start: isoMicros(i.start),
    end: isoMicros(Math.min(i.end, w.end)),
    components: [...i.components].sort(),
  }));
  writeFileSync(join(w.out.truthDir, 'incidents.json'), JSON.stringify(incidents, null, 2) + '\n');
  return { lines: w.out.lines, bytes: w.out.bytes, files: w.out.files };
}
