/** A LineBatch's lines as text, each with its batch's sequence number put in (what the writer writes). */
import type { LineBatch } from '../../src/output/line-batch.js';

export function lineText(b: LineBatch, i: number): string {
  const start = i === 0 ? 0 : b.marks[3 * i - 1]!;
  const seqAt = b.marks[3 * i]!;
  const end = b.marks[3 * i + 2]!;
  const text = (from: number, to: number): string => Buffer.from(b.bytes.buffer, b.bytes.byteOffset + from, to - from).toString('utf8');
  return seqAt < 0 ? text(start, end) : text(start, seqAt) + String(b.seq[i]) + text(b.marks[3 * i + 1]!, end);
}
