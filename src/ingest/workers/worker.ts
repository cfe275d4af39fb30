/**
 * A parse worker: reads the file sources the main thread opens on it through the one source
 * pipeline (source-reader.ts, exactly as the main thread would), several at once, and sends each
 * source's batches back under credit (protocol.ts). It holds no state beyond its open sources.
 *
 * Its sources' pumps run interleaved, each making its next batch as soon as it has credit. Tried
 * and measured (scale-20 bundle, text): one source at a time, the one the merge will need first
 * (the earliest last-sent line; a source the merge waits on, told by a message, before any) left
 * the workers idler, 1.56 s of event-loop idle summed over two (3 runs) against 1.41: a source
 * holding its turn through a read's await stops the others, and the merge still waits on the
 * other worker. Neither wall nor CPU differed at a load of 4-6.
 */
import { parentPort } from 'node:worker_threads';
import type { KEvent } from '../../model/event.js';
import { readSource, skipTwinWriter } from '../source-reader.js';
import { transferList } from '../../output/line-batch.js';
import { BATCHES_AHEAD, type StoredFormSpec, type FromWorker, type ToWorker, type WireReadOptions, type WireSource } from './protocol.js';

interface Open {
  credit: number;
  closed: boolean;
  /** Wakes the pump waiting for credit (or for close). */
  wake?: () => void;
}

const port = parentPort;
if (!port) throw new Error('worker.ts runs as a worker thread (src/ingest/workers/pool.ts starts it)');
const open = new Map<number, Open>();

port.on('message', (m: ToWorker) => {
  if (m.t === 'open') {
    const state: Open = { credit: BATCHES_AHEAD, closed: false };
    open.set(m.id, state);
    void pump(m.id, m.src, m.opts, state);
    return;
  }
  const state = open.get(m.id);
  if (!state) return;
  if (m.t === 'credit') state.credit++;
  else state.closed = true;
  state.wake?.();
});

async function pump(id: number, src: WireSource, opts: WireReadOptions, state: Open): Promise<void> {
  let local = 0;
  let errors: string[] = [];
  const run = readSource(
    {
      input: src.path,
      display: src.display,
      hints: src.hints,
      setAside: src.setAside,
      referenceTime: src.referenceTime,
      cluster: src.cluster,
      skipWriter: src.twinWriters && skipTwinWriter(src.twinWriters),
    },
    {
      componentOverride: opts.componentOverride,
      maxLineBytes: opts.maxLineBytes,
      batchEvents: opts.batchEvents,
      readChunk: opts.readChunk,
      nextSeq: () => opts.seqBase + ++local,
      onError: (message) => errors.push(message),
    },
  );
  // Rendering (and so the output modules) only when asked: the ingest takes whole events.
  const render = opts.render && (await import('../../output/render.js')).lineBatcher(opts.render);
  const form = opts.storedForm && (await storedFormer(opts.storedForm));
  const send = (m: FromWorker, transfer?: ArrayBuffer[]): void => {
    port!.postMessage(m, transfer);
    errors = [];
  };
  try {
    for (;;) {
      while (state.credit === 0 && !state.closed) await new Promise<void>((resolve) => (state.wake = resolve));
      if (state.closed) {
        await run.events.return(undefined);
        break;
      }
      const next = await run.events.next();
      if (next.done) {
        send({ t: 'end', id, errors, stats: run.stats });
        break;
      }
      state.credit--;
      const batch = next.value as KEvent[];
      if (render) {
        // The lines' bytes and columns are moved to the main thread, not copied.
        const lines = render(batch);
        send({ t: 'lines', id, lines, errors, stats: run.stats }, transferList(lines));
      } else {
        form?.(batch);
        send({ t: 'batch', id, events: batch, errors, stats: run.stats });
      }
      // Sent (copied): emptied, the events die now rather than live on in `next` while this
      // source waits for credit (see run.ts, rendered).
      batch.length = 0;
    }
  } catch (err) {
    send({ t: 'fail', id, errors, stats: run.stats, message: err instanceof Error ? err.message : String(err) });
  } finally {
    open.delete(id);
  }
}

/**
 * What gives a batch its stored form (src/store/stored-form.ts), the store's modules loaded only
 * for an ingest: the work is the main thread's otherwise, which writes every row alone.
 */
async function storedFormer(spec: StoredFormSpec): Promise<(batch: KEvent[]) => void> {
  const [{ formEvents }, registry] = await Promise.all([
    import('../../store/stored-form.js'),
    spec.signals ? import('../../signals/index.js').then((m) => m.SIGNAL_REGISTRY) : undefined,
  ]);
  return (batch) => formEvents(batch, registry);
}
