/**
 * `npm run coverage`: the whole suite under Node's built-in coverage (--experimental-test-coverage),
 * then line coverage of src/ and parsers/: per module, per folder and in total. The figures are of
 * the compiled .js lines: the script builds without source maps, because Node 20's coverage fails
 * on tsc's maps ("Could not report code coverage. TypeError: ... reading 'line'"). The test results go to stdout as usual; the exit status is the
 * test run's.
 *
 *   node dist/test/coverage/run.js [--all]     (--all lists every module, not only the least covered)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { repoRoot } from '../helpers/paths.js';

export interface FileCoverage {
  file: string;
  linesFound: number;
  linesHit: number;
}

/** The per-file line figures of an lcov trace (SF, LF, LH records). */
export function parseLcov(text: string): FileCoverage[] {
  const out: FileCoverage[] = [];
  let current: FileCoverage | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('SF:')) current = { file: line.slice(3), linesFound: 0, linesHit: 0 };
    else if (line.startsWith('LF:') && current) current.linesFound = Number(line.slice(3));
    else if (line.startsWith('LH:') && current) current.linesHit = Number(line.slice(3));
    else if (line === 'end_of_record' && current) {
      out.push(current);
      current = undefined;
    }
  }
  return out;
}

/** Sums files into the groups `groupOf` names (undefined: not counted). */
export function summarize(files: readonly FileCoverage[], groupOf: (file: string) => string | undefined): Map<string, { found: number; hit: number }> {
  const out = new Map<string, { found: number; hit: number }>();
  for (const f of files) {
    const g = groupOf(f.file);
    if (g === undefined) continue;
    const s = out.get(g) ?? { found: 0, hit: 0 };
    s.found += f.linesFound;
    s.hit += f.linesHit;
    out.set(g, s);
  }
  return out;
}

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile() && d.name.endsWith('.test.js'))
    .map((d) => join(d.parentPath, d.name))
    .sort();
}

function pct(hit: number, found: number): string {
  return `${found ? ((100 * hit) / found).toFixed(2) : '100.00'}%`;
}

function main(): void {
  const all = process.argv.includes('--all');
  const work = mkdtempSync(join(tmpdir(), 'ktrail-coverage-'));
  try {
    const lcov = join(work, 'lcov.info');
    const r = spawnSync(
      process.execPath,
      [
        '--test',
        '--test-concurrency=2',
        '--experimental-test-coverage',
        '--test-reporter=spec',
        '--test-reporter-destination=stdout',
        '--test-reporter=lcov',
        `--test-reporter-destination=${lcov}`,
        ...testFiles(join(repoRoot, 'dist', 'test')),
      ],
      { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] },
    );
    const files = parseLcov(readFileSync(lcov, 'utf8')).map((f) => ({ ...f, file: relative(repoRoot, f.file) }));
    const counted = files.filter((f) => /^dist\/(src|parsers)\//.test(f.file)).map((f) => ({ ...f, file: f.file.slice('dist/'.length) }));
    const byModule = summarize(counted, (f) => f);
    const byFolder = summarize(counted, (f) => f.split('/').slice(0, 2).join('/'));
    const total = summarize(counted, (f) => f.split('/')[0]);
    const lines: string[] = ['', 'line coverage of src/ and parsers/ (Node built-in coverage, compiled .js lines)'];
    const modules = [...byModule].sort((a, b) => a[1].hit / a[1].found - b[1].hit / b[1].found);
    lines.push(all ? 'every module:' : 'the 15 least covered modules (--all for every one):');
    for (const [m, s] of all ? modules : modules.slice(0, 15)) lines.push(`  ${pct(s.hit, s.found).padStart(8)}  ${String(s.hit).padStart(5)}/${String(s.found).padEnd(5)} ${m}`);
    lines.push('by folder:');
    for (const [g, s] of [...byFolder].sort()) lines.push(`  ${pct(s.hit, s.found).padStart(8)}  ${String(s.hit).padStart(6)}/${String(s.found).padEnd(6)} ${g}`);
    let hit = 0;
    let found = 0;
    for (const [g, s] of [...total].sort()) {
      lines.push(`${g}/: ${pct(s.hit, s.found)} of ${s.found} lines`);
      hit += s.hit;
      found += s.found;
    }
    lines.push(`src/ and parsers/ together: ${pct(hit, found)} of ${found} lines (${byModule.size} modules)`);
    process.stdout.write(lines.join('\n') + '\n');
    process.exitCode = r.status ?? 1;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main();
