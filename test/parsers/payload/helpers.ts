/** Shared by the payload tests: times written as wall clocks, and the two table checks every parser runs. */
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
