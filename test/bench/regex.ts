/**
 * `npm run bench regex`: what linear-time user regexes (src/util/user-regex.ts, RE2 by re2js) cost
 * beside V8's backtracking RegExp on ordinary patterns over the bench's mixed lines, and what they
 * take on the hostile case RegExp cannot finish (not run on RegExp: it would take minutes).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileUserRegex } from '../../src/util/user-regex.js';
import { writePipeData } from './pipe-data.js';

const PATTERNS = ['(?i)error', 'Failed to pull image', 'pod="kube-system/.*"', 'took \\d+(\\.\\d+)?ms', '^(?:E|W)\\d{4}'];

function time(fn: () => number): { ms: number; hits: number } {
  fn(); // warm-up: JIT, and RE2's DFA cache
  const t0 = process.hrtime.bigint();
  const hits = fn();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, hits };
}

export async function benchRegex(lineCount = 200_000): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-bench-regex-'));
  try {
    const file = join(dir, 'mixed.log');
    await writePipeData(file, lineCount);
    const lines = readFileSync(file, 'utf8').split('\n');
    console.log(`user regexes: ${lines.length.toLocaleString()} mixed CRI lines, RE2 (re2js) beside V8 RegExp`);
    for (const p of PATTERNS) {
      const inline = /^\(\?i\)/.test(p);
      const js = new RegExp(inline ? p.slice(4) : p, inline ? 'i' : '');
      const re2 = compileUserRegex(p);
      const a = time(() => lines.reduce((n, l) => n + (js.test(l) ? 1 : 0), 0));
      const b = time(() => lines.reduce((n, l) => n + (re2.test(l) ? 1 : 0), 0));
      if (a.hits !== b.hits) throw new Error(`${p}: RegExp found ${a.hits}, RE2 ${b.hits}`);
      const perLine = (ms: number) => ((ms * 1000) / lines.length).toFixed(2);
      console.log(`  ${p.padEnd(24)} ${String(b.hits).padStart(7)} hits  RegExp ${perLine(a.ms).padStart(6)} µs/line  RE2 ${perLine(b.ms).padStart(6)} µs/line  (${(b.ms / a.ms).toFixed(1)}x)`);
    }
    const hostile = Array.from({ length: 10_000 }, (_, i) => 'a'.repeat(40 + (i % 20)) + '!');
    const c = time(() => hostile.reduce((n, l) => n + (compileUserRegex('(a+)+$').test(l) ? 1 : 0), 0));
    console.log(`  (a+)+$ on 10,000 hostile lines of 41-60 characters: RE2 ${c.ms.toFixed(0)} ms in all (RegExp: minutes per line)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
