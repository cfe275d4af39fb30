/**
 * Real lines for the signal tests: corpus files read through the real pipeline (envelopes,
 * payload parsers, assembly), then every signal run on the parsed events. The OpenShift
 * must-gather is kept compressed in the corpus: the entries a test needs are unpacked into a
 * temporary folder (never into the project).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { after, before } from 'node:test';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEventStream } from '../../src/ingest/run.js';
import { severityRank, type KEvent } from '../../src/model/event.js';
import { recognize, type Facts } from '../../src/signals/index.js';
import { corpus, corpusSkip } from './paths.js';

export interface Stated {
  event: KEvent;
  facts: Facts;
}

/** Every event of the files (or folders), parsed as `ktrail` parses them. */
export async function eventsOf(paths: string[]): Promise<KEvent[]> {
  const errors: string[] = [];
  const stream = await openEventStream(paths, undefined, { onError: (f, m) => errors.push(`${f}: ${m}`) });
  const events: KEvent[] = [];
  for await (const b of stream.events) events.push(...b);
  return events;
}

/**
 * Lines written to the exact format of an upstream source (for the signals the corpus has no
 * capture of), read through the same pipeline from a temporary file named as the component's log.
 */
export async function eventsOfLines(lines: readonly string[], file = 'kubelet.log'): Promise<KEvent[]> {
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-lines-'));
  try {
    const path = join(dir, file);
    writeFileSync(path, lines.join('\n') + '\n');
    return await eventsOf([path]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The events that state a signal, with its facts (through the registry, as the store computes them). */
export function stating(events: readonly KEvent[], name: string): Stated[] {
  const out: Stated[] = [];
  for (const event of events) {
    const hit = recognize({ component: event.component, message: event.message, fields: event.fields, severity: severityRank(event.severity) }).find((s) => s.name === name);
    if (hit) out.push({ event, facts: hit.facts });
  }
  return out;
}

const MUST_GATHER = 'must-gather-aws/quay-io-openshift-release-dev-ocp-v4-0-art-dev-sha256-eede85cbd33388f7e18954e5ce8ad9616e91df05ace604966c0a44111d85c897';

/** Paths of the OpenShift must-gather capture, relative to its root folder. */
export const mustGatherPaths = {
  kubelet: `${MUST_GATHER}/host_service_logs/masters/kubelet_service.log`,
  etcd: `${MUST_GATHER}/namespaces/openshift-etcd/pods/etcd-ip-10-0-195-177.ec2.internal/etcd/etcd/logs/current.log`,
  monitoringEvents: `${MUST_GATHER}/namespaces/openshift-monitoring/core/events.yaml`,
  etcdEvents: `${MUST_GATHER}/namespaces/openshift-etcd/core/events.yaml`,
};

/** Unpacks entries of the must-gather into a temporary folder; returns their paths and a cleanup. */
export function unpackMustGather(entries: string[]): { paths: string[]; dispose: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-must-gather-'));
  execFileSync('tar', ['-xJf', corpus('openshift-must-gather-aws', 'must-gather-aws.tar.xz'), '-C', dir, ...entries], { stdio: 'ignore' });
  return { paths: entries.map((e) => join(dir, e)), dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The must-gather masters' kubelet journal, parsed once for a test file: unpacked before its tests
 * (unless the corpus is absent), removed after. Call at the top level; read the events in a test.
 */
export function mustGatherKubelet(): () => KEvent[] {
  let events: KEvent[] = [];
  let dispose = (): void => {};
  before(async () => {
    if (corpusSkip()) return;
    const mg = unpackMustGather([mustGatherPaths.kubelet]);
    dispose = mg.dispose;
    events = await eventsOf([mg.paths[0]!]);
  });
  after(() => dispose());
  return () => events;
}

/** The facts of every line stating a signal among lines written to a file (see eventsOfLines). */
export async function factsOfLines(lines: readonly string[], name: string, file?: string): Promise<Facts[]> {
  return stating(await eventsOfLines(lines, file), name).map((s) => s.facts);
}

/** Runs `fn` over entries of the must-gather unpacked into a temporary folder, removed after. */
export async function withMustGather<T>(entries: string[], fn: (paths: string[]) => Promise<T>): Promise<T> {
  const mg = unpackMustGather(entries);
  try {
    return await fn(mg.paths);
  } finally {
    mg.dispose();
  }
}

/** The lines stating a signal, checked: as many as grep counts in the file, the first with these facts. */
export function assertStated(events: readonly KEvent[], name: string, count: number, first: Facts): Stated[] {
  const lines = stating(events, name);
  assert.equal(lines.length, count, name);
  assert.deepEqual(lines[0]!.facts, first);
  return lines;
}
