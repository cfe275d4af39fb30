/**
 * The same inputs into a SQLite store and a ClickHouse store, through the real paths (the
 * commands' openStoreFor, or for synthetic events the writer and then the ingest's copy), and the
 * answers of both gathered for comparison. Shared by the ClickHouse test files.
 */
import { describeObject, resolveNewest } from '../../../../src/correlate/resolve-ref.js';
import { createDiagnostics } from '../../../../src/cli/diagnostics.js';
import { correlate, openStoreFor } from '../../../../src/cli/open-store.js';
import type { KEvent } from '../../../../src/model/event.js';
import { copyToClickhouse } from '../../../../src/store/clickhouse/copy.js';
import { ensureSchema } from '../../../../src/store/clickhouse/setup.js';
import { ClickhouseStore } from '../../../../src/store/clickhouse/store.js';
import { parseClickhouseUrl } from '../../../../src/store/clickhouse/url.js';
import type { KtrailStore, Timeline } from '../../../../src/store/store.js';
import { createWriter, openStore, type Store } from '../../../../src/store/writer.js';
import { buildCiReport } from '../../../../src/report/build.js';
import { buildOtlpTraces } from '../../../../src/report/otlp/traces.js';

const diag = createDiagnostics({});

/** `paths` ingested as `ktrail ingest PATHS --db db` does (db: a file or a ClickHouse URL). */
export async function ingested(paths: string[], db: string, cluster?: string): Promise<KtrailStore> {
  return (await openStoreFor(paths, { db, cluster }, diag, { requireComplete: false, clusterLabel: true })).store;
}

/** Synthetic events into an in-memory SQLite store (correlated), and that store copied into ClickHouse at `url`. */
export async function syntheticPair(events: readonly KEvent[], files: readonly string[], url: string): Promise<{ sqlite: Store; ch: ClickhouseStore }> {
  const sqlite = openStore(':memory:');
  const writer = createWriter(sqlite);
  const sources = new Map(files.map((f) => [f, writer.beginSource({ cluster: '', path: `/${f}`, display: f }).id]));
  writer.addMergedEvents(events, sources);
  writer.completeSources([...sources.values()].map((id) => ({ id })));
  writer.close();
  await correlate(sqlite);
  const target = parseClickhouseUrl(url);
  await copyToClickhouse(sqlite.db, target, await ensureSchema(target));
  return { sqlite, ch: new ClickhouseStore(url) };
}

const byKey = <T>(rows: T[]): T[] => [...rows].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));

/**
 * A timeline with each step's links by object id: the order of one event's links to two objects
 * of the same timeline is not part of the interface (SQLite's follows its index scan).
 */
export function timeline(t: Timeline): Timeline {
  return { ...t, steps: t.steps.map((s) => ({ ...s, links: [...s.links].sort((a, b) => a.objectId - b.objectId) })) };
}

/** What a user sees of a store: counts, incidents with evidence, traces of their roots, a page of events. */
export function answers(store: KtrailStore): Record<string, unknown> {
  const incidents = store.incidents.list();
  const range = store.events.timeRange();
  const roots = store.objects.roots(['Deployment', 'ReplicaSet', 'Pod', 'Node']);
  return {
    count: store.events.count(),
    range,
    countsByComponent: byKey(store.events.countsByComponent()),
    perMinute: range ? byKey(store.events.countsByComponentBucket(range.from, 60e6, Math.ceil((range.to - range.from) / 60e6) + 1, 2)) : [],
    histogram: range ? store.events.histogram({ from: range.from, to: range.to + 1, buckets: 20 }) : [],
    incidents,
    evidence: incidents.map((i) => store.incidents.evidence(i.id)),
    traces: incidents.flatMap((i) => (i.root ? [timeline(store.objects.timeline(i.root)), store.objects.ownerChain(i.root.id)] : [])),
    roots,
    // Every root's timeline in one batched read, and with a limit small enough that the shared
    // read is cut and each root reads its own.
    rootTimelines: store.objects.timelines(roots).map(timeline),
    rootTimelinesCut: store.objects.timelines(roots, { limit: 3 }).map((t) => t.steps.length),
    objects: store.objects.count(),
    // Each root by the names a user types (kind/ns/name, ns/name), read whole and cut to the
    // newest one: counts, spans of first sightings and the newest objects from both backends.
    names: roots.flatMap((r) => {
      const refs = r.namespace && r.name ? [describeObject(r), `${r.namespace}/${r.name}`] : [describeObject(r)];
      return refs.flatMap((ref) => [resolveNewest(store.objects, ref, Infinity), resolveNewest(store.objects, ref, 1)]);
    }),
    firstPage: store.events.page({ limit: 200 }),
    lastPage: store.events.page({ limit: 50, before: { time: Number.MAX_SAFE_INTEGER, id: Number.MAX_SAFE_INTEGER } }),
    links: store.objects.linksOfEvents(store.events.sampleIds(7, 100)),
    // trace as text reads its events without their references.
    eventsWithoutRefs: store.events.byIds(store.events.sampleIds(7, 100), { refs: false }),
    sources: store.sources.list().map(({ ingestedAt: _i, complete: _c, ...s }) => s),
    // The reports read timelines in chunks of roots (report/timelines.ts): the same from both.
    otlp: buildOtlpTraces(store, 'test'),
    ciReport: buildCiReport(store, { failOn: 'error', input: { name: 'x', type: 'directory', sources: 0, refused: [], stopped: null }, version: 'test' }),
  };
}
