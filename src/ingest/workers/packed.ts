/**
 * A batch of rendered events (src/output/render.ts) as it crosses from a parse worker to the main
 * thread: columns instead of an array of objects. postMessage's structured clone writes every
 * object's keys with it and builds every object and string again on the other side; profiled on
 * the scale-20 bundle, that was a worker's largest cost after GC (postMessage and its send, a
 * fifth of its busy time). Here the lines travel as one string, the numbers as typed arrays whose
 * buffers are moved, not copied, and the few distinct names (component, severity, cluster) once
 * per batch with a code per event.
 */
import type { Component, Severity } from '../../model/event.js';
import type { RenderedEvent } from '../../output/render.js';

export interface PackedLines {
  /** Every event's head then tail, one after the other. */
  text: string;
  /** Per event: head length, tail length (-1: no tail). */
  lengths: Int32Array;
  time: Float64Array;
  seq: Float64Array;
  /** Per event: component, severity and cluster as indexes into `names` (-1: no cluster). */
  codes: Int32Array;
  names: string[];
}

/** The batch's columns, and the buffers postMessage can move. */
export function packLines(batch: readonly RenderedEvent[]): { packed: PackedLines; transfer: ArrayBuffer[] } {
  const n = batch.length;
  const lengths = new Int32Array(2 * n);
  const time = new Float64Array(n);
  const seq = new Float64Array(n);
  const codes = new Int32Array(3 * n);
  const names: string[] = [];
  const index = new Map<string, number>();
  const code = (name: string): number => {
    let i = index.get(name);
    if (i === undefined) index.set(name, (i = names.push(name) - 1));
    return i;
  };
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = batch[i]!;
    parts.push(r.head);
    lengths[2 * i] = r.head.length;
    if (r.tail === undefined) lengths[2 * i + 1] = -1;
    else {
      parts.push(r.tail);
      lengths[2 * i + 1] = r.tail.length;
    }
    time[i] = r.time;
    seq[i] = r.seq;
    codes[3 * i] = code(r.component);
    codes[3 * i + 1] = code(r.severity);
    codes[3 * i + 2] = r.cluster === undefined ? -1 : code(r.cluster);
  }
  const packed: PackedLines = { text: parts.join(''), lengths, time, seq, codes, names };
  return { packed, transfer: [lengths.buffer, time.buffer, seq.buffer, codes.buffer] as ArrayBuffer[] };
}

/** The rendered events again, equal to those packed. */
export function unpackLines(p: PackedLines): RenderedEvent[] {
  const n = p.time.length;
  const out: RenderedEvent[] = new Array<RenderedEvent>(n);
  let at = 0;
  for (let i = 0; i < n; i++) {
    const headLength = p.lengths[2 * i]!;
    const tailLength = p.lengths[2 * i + 1]!;
    const head = p.text.slice(at, (at += headLength));
    const r: RenderedEvent = {
      seq: p.seq[i]!,
      time: p.time[i]!,
      component: p.names[p.codes[3 * i]!] as Component,
      severity: p.names[p.codes[3 * i + 1]!] as Severity,
      head,
    };
    if (tailLength >= 0) r.tail = p.text.slice(at, (at += tailLength));
    const cluster = p.codes[3 * i + 2]!;
    if (cluster >= 0) r.cluster = p.names[cluster]!;
    out[i] = r;
  }
  return out;
}
