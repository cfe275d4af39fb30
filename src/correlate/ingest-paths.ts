/**
 * Reads files and folders into a store, as `ktrail ingest` does, for the evaluations (the
 * simulator's, src/correlate/eval.ts, and the real captures', eval-real.ts). Problems with an
 * input are collected, not thrown: an evaluation scores what could be read.
 */
import { openSources, resolveInputs } from '../ingest/run.js';
import { ingestEventStream } from '../store/ingest.js';
import type { KtrailStore } from '../store/store.js';
import { describeSource } from '../store/writer.js';
import { SIGNAL_REGISTRY } from '../signals/index.js';

export async function ingestPaths(store: KtrailStore, paths: string[]): Promise<number> {
  const problems: string[] = [];
  const onError = (file: string, message: string): void => void problems.push(`${file}: ${message}`);
  const inputs = await resolveInputs(paths, undefined, onError);
  const metas = await Promise.all(
    inputs.map((i) =>
      typeof i.input === 'string' ? describeSource(i.input, i.display, i.cluster ?? '') : { path: '-', display: i.display, cluster: i.cluster ?? '' },
    ),
  );
  const summary = await ingestEventStream(store.writer({ signals: SIGNAL_REGISTRY }), metas, (toRead) =>
    openSources(
      inputs.filter((i) => toRead.some((m) => m.display === i.display)),
      { onError },
    ),
  );
  return summary.events;
}
