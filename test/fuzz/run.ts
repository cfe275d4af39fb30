/**
 * `npm run fuzz [-- --runs N] [-- --seed S]`: the ingest fuzz property (ingest-property.ts) over
 * many cases. Every case runs (a failure does not stop the run); prints the cases, lines and
 * failures, and the first failing cases in full. Exit status 1 when anything failed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { caseArbitrary, checkCase, describeCase, readCase } from './ingest-property.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '2000' }, seed: { type: 'string' } } });
const runs = Number(values.runs);
const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);

const dir = await mkdtemp(join(tmpdir(), 'ktrail-fuzz-'));
let cases = 0;
let lines = 0;
let bytes = 0;
const failures: { why: string; detail: string }[] = [];
const started = Date.now();
try {
  const arbitrary = await caseArbitrary();
  await fc.assert(
    fc.asyncProperty(arbitrary, async (files) => {
      cases++;
      bytes += files.reduce((n, f) => n + f.bytes.length, 0);
      try {
        const r = await readCase(join(dir, 'case'), files);
        lines += r.stats.reduce((n, s) => n + s.linesRead, 0);
        const wrong = checkCase(files, r);
        if (wrong.length > 0) failures.push({ why: wrong.join('; '), detail: describeCase(files) });
      } catch (err) {
        failures.push({ why: `threw: ${(err as Error).stack ?? String(err)}`, detail: describeCase(files) });
      }
      if (cases % 200 === 0) process.stderr.write(`  ${cases} cases, ${lines} lines, ${failures.length} failures\n`);
    }),
    { seed, numRuns: runs, timeout: 60_000 },
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
const secs = (Date.now() - started) / 1000;
console.log(`fuzz: seed ${seed}: ${cases} cases, ${lines} lines (${(bytes / 1e6).toFixed(1)} MB), ${failures.length} failures, ${secs.toFixed(0)} s`);
for (const f of failures.slice(0, 5)) console.log(`\nFAILED: ${f.why}\n${f.detail}`);
process.exitCode = failures.length > 0 ? 1 : 0;
