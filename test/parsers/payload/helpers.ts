/** Shared by the payload tests: times written as wall clocks, and the two table checks every parser runs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PayloadParser, PayloadResult } from '../../../parsers/types.js';

/** Epoch microseconds of a UTC wall-clock time. */
export function us(y: number, mo: number, d: number, h: number, mi: number, s: number, micros = 0): number {
  return Date.UTC(y, mo - 1, d, h, mi, s) * 1000 + micros;
}

/** Each line is claimed by the parser and parses to exactly its expected result (label: how a failure names the line). */
export function assertParsesExactly(
  parser: PayloadParser,
  table: readonly (readonly [string, PayloadResult])[],
  label: (line: string) => string = (line) => line,
): void {
  for (const [line, expected] of table) {
    assert.equal(parser.matches(line), true, label(line));
    assert.deepEqual(parser.parse([line], {}), expected, label(line));
  }
}

/** None of the lines is claimed by the parser. */
export function assertClaimsNone(parser: PayloadParser, lines: readonly string[]): void {
  for (const line of lines) assert.equal(parser.matches(line), false, line);
}

/** The two table tests every payload parser has, by name: lines it parses exactly, and lines it must not claim. */
export function tableTests(
  parser: PayloadParser,
  exact: { name: string; table: readonly (readonly [string, PayloadResult])[]; label?: (line: string) => string },
  notClaimed: { name: string; lines: readonly string[] },
): void {
  test(exact.name, () => assertParsesExactly(parser, exact.table, exact.label));
  test(notClaimed.name, () => assertClaimsNone(parser, notClaimed.lines));
}

/** Parses each hostile line (none may throw) and checks it keeps the parser's format; the results, for further checks. */
export function parseHostile(parser: PayloadParser, lines: readonly string[]): PayloadResult[] {
  return lines.map((line) => {
    const r = parser.parse([line], {});
    assert.equal(r.format, parser.format, line.slice(0, 80));
    return r;
  });
}

/**
 * A fatal header folds the Go stack trace after it into fields.stack; a header that is not fatal
 * folds nothing. The parse of the header with its stack, for further checks.
 */
export function assertFoldsStack(parser: PayloadParser, fatal: string, notFatal: string, stack: readonly string[]): PayloadResult {
  assert.equal(parser.continues?.('goroutine 1 [running]:', [fatal]), true);
  assert.equal(parser.continues?.('goroutine 1 [running]:', [notFatal]), false);
  const r = parser.parse([fatal, ...stack], {});
  assert.equal(r.fields['stack'], stack.join('\n'));
  return r;
}
