/** Builds small stores for correlation tests: events with their refs, through the real writer. */
import { openStore, createWriter, type Store } from '../../src/store/writer.js';
import type { Component, KEvent, ObjectRef, Severity } from '../../src/model/event.js';

export interface EventSpec {
  time: number; // seconds from an arbitrary start
  component?: Component;
  severity?: Severity;
  message?: string;
  fields?: Record<string, unknown>;
  objects?: ObjectRef[];
  file?: string;
  line?: number;
}

const T0 = Date.UTC(2025, 2, 21, 14, 0, 0) * 1000;
export const at = (seconds: number): number => T0 + seconds * 1_000_000;

/** An in-memory store holding these events (one source per file name), in the order given. */
/**
 * Every link holds its event's time (schema v8: the object index orders and cuts by it), whichever
 * pass of the linker made it: the number of links whose time is not their event's, 0 when right.
 */
export function linksWithWrongTime(db: import('better-sqlite3').Database): number {
  return db
    .prepare('SELECT count(*) FROM event_objects eo JOIN events e ON e.id = eo.event_id WHERE eo.time IS NOT e.time')
    .pluck()
    .get() as number;
}

export function storeWith(specs: EventSpec[]): Store {
  const store = openStore(':memory:');
  const writer = createWriter(store);
  const files = [...new Set(specs.map((s) => s.file ?? 'test.log'))];
  const ids = new Map<string, number>();
  for (const f of files) {
    const begin = writer.beginSource({ cluster: '', path: `/test/${f}`, display: f, size: 1, mtime: 0, fingerprint: f });
    ids.set(f, begin.id);
  }
  const events: KEvent[] = specs
    .map((s, i) => ({
      seq: i + 1,
      time: at(s.time),
      component: s.component ?? 'kubelet',
      severity: s.severity ?? 'info',
      message: s.message ?? `event ${i + 1}`,
      fields: s.fields ?? {},
      objects: s.objects ?? [],
      source: { file: s.file ?? 'test.log', line: s.line ?? i + 1, endLine: s.line ?? i + 1, format: 'none/klog' },
      raw: s.message ?? `event ${i + 1}`,
      format: 'klog' as const,
    }))
    .sort((a, b) => a.time - b.time || a.seq - b.seq);
  writer.addMergedEvents(events, ids);
  writer.completeSources(files.map((f) => ({ id: ids.get(f)!, stats: undefined })));
  writer.close();
  return store;
}
