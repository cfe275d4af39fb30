/**
 * Start-up: each command loads only the modules it needs. tsc's tree (dist/src, unbundled, where
 * each module is a file) runs with a module hook that records every module it resolves; `--help` must load commander and a few name lists only,
 * reading logs must not load the store, the query parser or the terminal UI, and no command may
 * load the test tooling; trace on an existing store loads neither the parsers' pipeline nor pino,
 * nor the linker and the incident rules, nor what fingerprints inputs (node:crypto); output without
 * colour does not load chalk.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isBuiltin } from 'node:module';
import { join } from 'node:path';
import { loadLogArgs } from '../../helpers/load-log.js';
import { repoRoot } from '../../helpers/paths.js';

// The tree, not the bundle users run (src/build/bundle.ts): a chunk of the bundle holds modules
// that esbuild's wrappers run only on first use, which no hook can see. The bundle keeps the
// tree's laziness (test/src/build/bundle.test.ts checks what its chunks hold).
const cli = join(repoRoot, 'dist', 'src', 'cli', 'main.js');

const TEST_TOOLING = ['ajv', 'playwright-core', 'ink-testing-library', 'typescript', 'eslint'];
/** The archive readers' packages: loaded only when an archive is opened (about 50 ms of CPU). */
const ARCHIVE_READERS = ['lzma-native', 'tar-stream', 'yauzl', 'zstd-napi'];

/** Runs the CLI and returns the packages and ktrail modules it loaded. */
function loaded(
  dir: string,
  args: string[],
  colour: Record<string, string> = { NO_COLOR: '1' },
): { status: number | null; packages: Set<string>; modules: string[]; builtins: Set<string>; stdout: string } {
  const log = join(dir, `load-${Math.random().toString(36).slice(2)}.log`);
  writeFileSync(log, '');
  // The hook sees imports only; NODE_DEBUG=module logs what is loaded through require() (the
  // store's lazy areas, chalk when colour is on), so a package counts however it was loaded.
  const env: NodeJS.ProcessEnv = { ...process.env, KTRAIL_LOAD_LOG: log, NODE_DEBUG: 'module', ...colour };
  if (!('NO_COLOR' in colour)) delete env.NO_COLOR;
  if (!('FORCE_COLOR' in colour)) delete env.FORCE_COLOR;
  const r = spawnSync(process.execPath, [...loadLogArgs(dir), cli, ...args], { encoding: 'utf8', env });
  const urls = readFileSync(log, 'utf8').split('\n').filter(Boolean);
  const required = [...r.stderr.matchAll(/Module\._load REQUEST ((?:@[^/\s]+\/)?[^./\s][^/\s]*)\S* parent/g)].map((m) => m[1]!);
  const imported = urls.map((u) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.[1]);
  const packages = new Set([...imported, ...required].filter((p): p is string => !!p && !isBuiltin(p)));
  const modules = urls.filter((u) => u.includes('/dist/')).map((u) => u.slice(u.indexOf('/dist/') + 6));
  return { status: r.status, packages, modules, builtins: new Set(urls.filter((u) => u.startsWith('node:'))), stdout: r.stdout };
}

test('ktrail --help loads commander and nothing heavy; read loads no store, query parser or UI; ingest no UI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-startup-'));
  try {
    const log = join(dir, 'kube-scheduler.log');
    writeFileSync(
      log,
      '2025-03-21T14:51:24.000000001Z stderr F I0321 14:51:24.000000       1 schedule_one.go:314] "Successfully bound pod to node" pod="default/web-1" node="worker-1"\n',
    );

    const help = loaded(dir, ['--help']);
    assert.equal(help.status, 0);
    assert.deepEqual([...help.packages], ['commander']);
    assert.ok(!help.modules.some((m) => /src\/(ingest|store\/(?!errors)|sim\/(?!scenario-names)|tui|query|report|correlate)/.test(m)), help.modules.join(' '));

    const read = loaded(dir, [log]);
    assert.equal(read.status, 0);
    assert.ok(read.modules.some((m) => m.startsWith('parsers/')), 'reading loads the parsers (the hook sees them)');
    for (const heavy of ['ink', 'react', 'chevrotain', 'better-sqlite3', 'pino', 'yaml', ...ARCHIVE_READERS, ...TEST_TOOLING]) {
      assert.ok(!read.packages.has(heavy), `read loaded ${heavy}`);
    }
    // The control: an archive to read loads its reader (report/archive/extract.ts imports it then).
    const archive = join(dir, 'logs.tar.gz');
    assert.equal(spawnSync('tar', ['-czf', archive, '-C', dir, 'kube-scheduler.log']).status, 0);
    const fromArchive = loaded(dir, [archive]);
    assert.equal(fromArchive.status, 0);
    assert.ok(fromArchive.packages.has('tar-stream') && fromArchive.stdout.includes('web-1'), [...fromArchive.packages].join(' '));

    const json = loaded(dir, ['-o', 'json', log]);
    assert.equal(json.status, 0);
    // pino's shape, written by JSON.stringify: the same bytes (test/src/output/ndjson.test.ts), faster.
    assert.ok(!json.packages.has('pino'), 'NDJSON output loaded pino');

    const ingest = loaded(dir, ['ingest', '--db', join(dir, 'store.db'), log]);
    assert.equal(ingest.status, 0);
    assert.ok(ingest.packages.has('better-sqlite3'));
    for (const heavy of ['ink', 'react', ...ARCHIVE_READERS, ...TEST_TOOLING]) assert.ok(!ingest.packages.has(heavy), `ingest loaded ${heavy}`);

    // trace on an existing store reads it as it is: no parsers, no ingest, no pino.
    const trace = loaded(dir, ['trace', 'pod/default/web-1', '--db', join(dir, 'store.db'), '-o', 'json']);
    assert.ok(trace.packages.has('better-sqlite3'));
    for (const heavy of ['pino', 'yaml', 'chevrotain', 'ink', 'react', ...TEST_TOOLING]) assert.ok(!trace.packages.has(heavy), `trace loaded ${heavy}`);
    assert.ok(!trace.modules.some((m) => m.startsWith('src/ingest/')), trace.modules.join(' '));
    // Nor the linker, the incident rules or the signals: they run only when events were added.
    assert.ok(!trace.modules.some((m) => /^src\/(correlate\/(link|incidents\/)|signals\/)/.test(m)), trace.modules.join(' '));
    // Nor what finds, fingerprints and shows progress over inputs (node:crypto among them).
    assert.ok(!trace.modules.some((m) => /^src\/(store\/(location|fingerprint)|cli\/progress)\.js$/.test(m)), trace.modules.join(' '));
    assert.ok(!trace.builtins.has('node:crypto'), [...trace.builtins].join(' '));
    // better-sqlite3's addon is opened by its path (store/sqlite-file.ts), not searched for by
    // `bindings` (stack traces and thrown requires, ~5 ms).
    for (const run of [trace, ingest]) assert.ok(!run.packages.has('bindings'), [...run.packages].join(' '));
    // The control: reading inputs into a store does load them.
    assert.ok(ingest.modules.includes('src/store/fingerprint.js') && ingest.builtins.has('node:crypto'), ingest.modules.join(' '));

    // Output without colour (a pipe, NO_COLOR) loads no chalk: makeChalk(false) styles nothing
    // itself (output/colors.ts). The control: colour asked for loads it and colours the lines.
    for (const colour of [{ NO_COLOR: '1' }, {}] as Record<string, string>[]) {
      for (const args of [['trace', 'pod/default/web-1', '--db', join(dir, 'store.db')], [log]]) {
        const run = loaded(dir, args, colour);
        assert.equal(run.status, 0);
        assert.ok(!run.packages.has('chalk'), `${args.join(' ')} with ${JSON.stringify(colour)} loaded chalk`);
        assert.ok(run.stdout.includes('web-1') && !run.stdout.includes('\u001b['), run.stdout);
      }
    }
    const coloured = loaded(dir, ['trace', 'pod/default/web-1', '--db', join(dir, 'store.db')], { FORCE_COLOR: '1' });
    assert.ok(coloured.packages.has('chalk') && coloured.stdout.includes('\u001b['), coloured.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The store modules a run required on first use (sqlite-store.ts loads its unused areas lazily). */
function requiredStoreModules(args: string[]): string[] {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, NODE_DEBUG: 'module', NO_COLOR: '1' } });
  assert.equal(r.status, 0, r.stderr.slice(-2000));
  return [...r.stderr.matchAll(/Module\._load REQUEST \.\/([\w-]+)\.js parent: \S+\/dist\/src\/store\/sqlite-store\.js/g)].map((m) => m[1]!);
}

test('trace on an existing store loads none of the store areas it does not use; sql and ingest load theirs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-startup-'));
  try {
    const log = join(dir, 'kube-scheduler.log');
    writeFileSync(
      log,
      '2025-03-21T14:51:24.000000001Z stderr F I0321 14:51:24.000000       1 schedule_one.go:314] "Successfully bound pod to node" pod="default/web-1" node="worker-1"\n',
    );
    const db = join(dir, 'store.db');
    // The control: what is loaded lazily shows in the log (an ingest writes, links and detects).
    const ingest = requiredStoreModules(['ingest', '--db', db, log]);
    for (const area of ['sqlite-writer', 'correlation', 'incident-detection']) assert.ok(ingest.includes(area), `ingest: ${ingest.join(' ')}`);
    assert.deepEqual(requiredStoreModules(['sql', '--db', db, 'SELECT 1']), ['read-only-sql']);
    assert.deepEqual(requiredStoreModules(['trace', 'pod/default/web-1', '--db', db]), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
