/** Shared by the envelope tests: run a reader over lines, score a sample, and frame a corpus file simply. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { EnvelopeContext, EnvelopeParser, EnvelopeRecord, Line, SourceHints } from '../../../parsers/types.js';

/** 2025-06-01T00:00:00Z: a reference time for tests that do not care about it. */
export const JUNE_2025 = Date.UTC(2025, 5, 1) * 1000;

export function context(hints: SourceHints = {}, referenceTime = JUNE_2025): EnvelopeContext {
  return { file: 'test.log', hints, referenceTime };
}

/** Lines numbered from 1. */
export function numbered(texts: readonly string[]): Line[] {
  return texts.map((text, i) => ({ text, no: i + 1 }));
}

/** Feeds every line to a fresh reader, then ends it; returns all records in emission order. */
export function readAll(parser: EnvelopeParser, lines: readonly (string | Line)[], ctx = context()): EnvelopeRecord[] {
  const reader = parser.create(ctx);
  const out: EnvelopeRecord[] = [];
  lines.forEach((l, i) => {
    const line = typeof l === 'string' ? { text: l, no: i + 1 } : l;
    out.push(...reader.push(line));
  });
  out.push(...reader.end());
  return out;
}

/** UTC epoch microseconds from an ISO string (millisecond precision) plus extra microseconds. */
export function micros(iso: string, extraMicros = 0): number {
  return Date.parse(iso) * 1000 + extraMicros;
}

/**
 * A file's lines as the framing stage cuts them: UTF-8, \n or \r\n, no empty last line after the
 * final terminator. Enough for the corpus, which is all UTF-8.
 */
export function fileLines(path: string): string[] {
  let text = readFileSync(path, 'utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text === '') return [];
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The sample the pipeline gives to detection: the first 50 non-empty lines. */
export function sampleOf(lines: readonly string[]): string[] {
  return lines.filter((l) => l.trim() !== '').slice(0, 50);
}

/**
 * Lines a set of records consumes: each record's physical lines (its span unless it says fewer:
 * interleaved CRI runs, cloud records sharing a line), meta records included.
 */
export function linesConsumed(records: readonly EnvelopeRecord[]): number {
  let n = 0;
  for (const r of records) n += r.physicalLines ?? r.lastLine - r.firstLine + 1;
  return n;
}

/**
 * The envelope's score counts exactly the lines of its shape: each of `counted` scores 1 alone,
 * each of `others` 0, and a sample of all of them scores the number counted.
 */
export function assertCounts(parser: EnvelopeParser, counted: readonly string[], others: readonly string[]): void {
  for (const line of counted) assert.equal(parser.score([line]), 1, line);
  for (const line of others) assert.equal(parser.score([line]), 0, line);
  assert.equal(parser.score([...counted, ...others]), counted.length);
}
