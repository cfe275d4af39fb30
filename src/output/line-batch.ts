/**
 * A batch of rendered output lines as bytes with columns (made by render.ts): what the merge, the
 * read filters and the writer read of it. Kept apart from the rendering so that the merge loads
 * none of the formatting modules.
 */
import type { Component, Severity } from '../model/event.js';
import type { OutputWriter } from './writer.js';

/** A batch of events' output lines, and what the merge and the read filters need of each. */
export interface LineBatch {
  /** The lines' UTF-8 bytes, one after the other (a view: its buffer may be longer). */
  bytes: Uint8Array;
  /**
   * Per line, byte offsets into `bytes`: where its sequence number's digits start (-1: the line
   * shows none), where they end, and where the line ends (the next one starts there).
   */
  marks: Int32Array;
  time: Float64Array;
  /** Per line: the event's sequence number (the merge writes the final one in). */
  seq: Float64Array;
  /** Per line: component, severity and cluster as indexes into `names` (-1: no cluster). */
  codes: Int32Array;
  names: string[];
}

/** The buffers of a batch postMessage can move rather than copy. */
export function transferList(b: LineBatch): ArrayBuffer[] {
  return [b.bytes.buffer, b.marks.buffer, b.time.buffer, b.seq.buffer, b.codes.buffer] as ArrayBuffer[];
}

export function lineCount(b: LineBatch): number {
  return b.time.length;
}

export function componentAt(b: LineBatch, i: number): Component {
  return b.names[b.codes[3 * i]!] as Component;
}

export function severityAt(b: LineBatch, i: number): Severity {
  return b.names[b.codes[3 * i + 1]!] as Severity;
}

export function clusterAt(b: LineBatch, i: number): string | undefined {
  const code = b.codes[3 * i + 2]!;
  return code < 0 ? undefined : b.names[code];
}

/**
 * Line i of the batch onto the writer, with the batch's sequence number for it: its bytes are
 * copied into the writer's chunk as they are, the number's digits put in between for JSON.
 */
export function writeLine(out: OutputWriter, b: LineBatch, i: number): Promise<void> | undefined {
  const start = i === 0 ? 0 : b.marks[3 * i - 1]!;
  const seqAt = b.marks[3 * i]!;
  const end = b.marks[3 * i + 2]!;
  if (seqAt < 0) return out.bytes(b.bytes, start, end);
  return out.spliced(b.bytes, start, seqAt, b.seq[i]!, b.marks[3 * i + 1]!, end);
}
