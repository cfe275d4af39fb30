/**
 * The bundle users run (dist/bundle, src/build/bundle.ts) against tsc's tree it is made from:
 * - the rewrites, on their own: package names, `import.meta.url` pinned to the module's file,
 *   our lazily required modules bundled;
 * - what each command's chunks hold (the metafile): `--help` reaches no store, reading no UI, no
 *   query parser and no store, trace no UI, parsers' pipeline or pino;
 * - at run time, no command loads a module of ours from the tree (a second copy of its classes
 *   and state) or a package the bundle holds;
 * - the same bytes as the tree for help, read, ingest, trace, incidents, sql and an error.
 * Parse workers (a worker script found from import.meta.url) are run by
 * test/src/ingest/workers/equivalence.test.ts, on the bundle.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BUNDLED_PACKAGES, bundledWorkerUrls, bundleOwnRequires, packageOf, pinModuleUrl } from '../../../src/build/bundle.js';
import { loadLogArgs } from '../../helpers/load-log.js';
import { bundledCli, repoRoot } from '../../helpers/paths.js';

const bundled = bundledCli();
const tree = join(repoRoot, 'dist', 'src', 'cli', 'main.js');

test('packageOf names the package of a bare import and nothing for paths and built-ins', () => {
  assert.equal(packageOf('commander'), 'commander');
  assert.equal(packageOf('better-sqlite3/lib/index.js'), 'better-sqlite3');
  assert.equal(packageOf('@clickhouse/client'), '@clickhouse/client');
  assert.equal(packageOf('@clickhouse/client/dist/x.js'), '@clickhouse/client');
  for (const path of ['./x.js', '../y.js', '/abs/z.js', 'node:fs']) assert.equal(packageOf(path), undefined, path);
});

test('pinModuleUrl makes import.meta.url the module file, from wherever its chunk is', () => {
  const outdir = join(repoRoot, 'dist', 'bundle');
  const file = join(repoRoot, 'dist', 'src', 'ingest', 'workers', 'pool.js');
  const source = "const WORKER_URL = new URL('./worker.js', import.meta.url);";
  const pinned = pinModuleUrl(source, file, outdir);
  assert.ok(!pinned.includes('new URL(\'./worker.js\', import.meta.url)'), pinned);
  // Evaluated as the chunk would: import.meta.url is a chunk's, in outdir.
  const chunkUrl = pathToFileURL(join(outdir, 'chunk-ABC.js')).href;
  const evaluate = new Function('chunkUrl', `${pinned.replaceAll('import.meta.url', 'chunkUrl')}; return WORKER_URL;`) as (u: string) => URL;
  assert.equal(fileURLToPath(evaluate(chunkUrl)), join(dirname(file), 'worker.js'));
  assert.equal(pinModuleUrl('const x = 1;', file, outdir), 'const x = 1;');
});

test("bundledWorkerUrls points a module's worker script at the bundle's, and only that script", () => {
  const root = '/p';
  const outdir = join(root, 'dist', 'bundle');
  const pool = join(root, 'dist', 'src', 'ingest', 'workers', 'pool.js');
  const source = "const A = new URL('./worker.js', import.meta.url); const B = new URL('./other.js', import.meta.url);";
  const out = bundledWorkerUrls(pinModuleUrl(source, pool, outdir), pool, root, outdir);
  assert.ok(out.includes("const A = new URL('./parse-worker.js', import.meta.url);"), out);
  assert.ok(out.includes(`const B = new URL('./other.js', new URL("../src/ingest/workers/pool.js", import.meta.url).href);`), out);
  // A worker.js elsewhere (ClickHouse's bridge) is not the parse worker.
  const bridge = join(root, 'dist', 'src', 'store', 'clickhouse', 'bridge.js');
  const pinned = pinModuleUrl("new URL('./worker.js', import.meta.url)", bridge, outdir);
  assert.equal(bundledWorkerUrls(pinned, bridge, root, outdir), pinned);
});

test('bundleOwnRequires bundles our lazily loaded modules and leaves other calls alone', () => {
  const source = `const areas = { writer: () => load('./sqlite-writer.js'), up: () => load("../query/x.js") };
const other = load(name); const pkg = load('chalk'); const dl = download('./a.js');`;
  const out = bundleOwnRequires(source);
  assert.ok(out.includes("require('./sqlite-writer.js')") && out.includes('require("../query/x.js")'), out);
  for (const kept of ['load(name)', "load('chalk')", "download('./a.js')"]) assert.ok(out.includes(kept), kept);
});

interface Meta {
  outputs: Record<string, { inputs: Record<string, unknown>; imports: { path: string; kind: string; external?: boolean }[] }>;
}
const meta = JSON.parse(readFileSync(join(dirname(bundled), 'meta.json'), 'utf8')) as Meta;

/** The inputs in `output` and every chunk it imports statically, as a module loader would load them. */
function staticInputs(output: string): string[] {
  const seen = new Set<string>();
  const inputs: string[] = [];
  const visit = (o: string): void => {
    if (seen.has(o)) return;
    seen.add(o);
    const out = meta.outputs[o];
    assert.ok(out, `no output ${o} in the metafile`);
    inputs.push(...Object.keys(out.inputs));
    for (const i of out.imports) if (i.kind === 'import-statement' && !i.external) visit(i.path);
  };
  visit(output);
  return inputs;
}

/** The chunk that holds `module` (a path from the project root) as an entry of a dynamic import. */
function chunkOf(module: string): string {
  const hits = Object.entries(meta.outputs).filter(([, o]) => module in o.inputs);
  assert.equal(hits.length, 1, `${module} is in ${hits.length} chunks`);
  return hits[0]![0];
}

test("each command's chunks hold only what the command needs", () => {
  const entry = Object.keys(meta.outputs).find((o) => o.endsWith('/main.js'))!;
  const help = staticInputs(entry);
  assert.ok(help.some((i) => i.includes('node_modules/commander/')), 'commander is bundled');
  assert.ok(!help.some((i) => /dist\/src\/(ingest|store\/(?!errors)|tui|query|report|correlate)/.test(i)), help.join(' '));
  assert.ok(!help.some((i) => i.includes('better-sqlite3')), 'the entry reaches better-sqlite3');

  const read = staticInputs(chunkOf('dist/src/cli/read.js'));
  assert.ok(read.some((i) => i.startsWith('dist/parsers/')), 'reading holds the parsers');
  assert.ok(!read.some((i) => /dist\/src\/(store|tui|query)\/|better-sqlite3/.test(i)), read.filter((i) => /store|tui|query|sqlite/.test(i)).join(' '));

  const trace = staticInputs(chunkOf('dist/src/cli/trace.js'));
  assert.ok(trace.some((i) => i.includes('better-sqlite3/lib/')), 'trace holds better-sqlite3');
  assert.ok(!trace.some((i) => /dist\/src\/(ingest|tui|sim|signals)\/|dist\/parsers\/|dist\/src\/correlate\/link/.test(i)), trace.filter((i) => /ingest|tui|sim|signals|parsers|link/.test(i)).join(' '));

  // Packages outside the bundled list stay imports of node_modules: never copied into a chunk.
  const packages = new Set(Object.values(meta.outputs).flatMap((o) => Object.keys(o.inputs).map((i) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(i)?.[1])));
  packages.delete(undefined);
  assert.deepEqual([...packages].sort(), [...BUNDLED_PACKAGES].sort());
});

let dir = '';
let log = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'ktrail-bundle-'));
  log = join(dir, 'kube-scheduler.log');
  writeFileSync(
    log,
    [
      '2025-03-21T14:51:24.000000001Z stderr F I0321 14:51:24.000000       1 schedule_one.go:314] "Successfully bound pod to node" pod="default/web-1" node="worker-1"',
      '2025-03-21T14:51:25.000000001Z stderr F E0321 14:51:25.000000       1 schedule_one.go:1004] "Error scheduling pod; retrying" err="0/3 nodes are available: 3 Insufficient memory." pod="default/web-2"',
      '',
    ].join('\n'),
  );
});
after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  /** Files of ours and of packages the main thread loaded (imports seen by the hook, require()s in NODE_DEBUG). */
  loaded: string[];
}

function run(cli: string, args: string[], env: NodeJS.ProcessEnv = {}): Run {
  const loadLog = join(dir, `load-${Math.random().toString(36).slice(2)}.log`);
  writeFileSync(loadLog, '');
  const r = spawnSync(process.execPath, [...loadLogArgs(dir), cli, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', KTRAIL_LOAD_LOG: loadLog, NODE_DEBUG: 'module', ...env },
  });
  // A relative require() is a file beside its parent; a bare one is a package or a built-in.
  const required = [...r.stderr.matchAll(/Module\._load REQUEST (\S+) parent: (\S+)/g)].map((m) => (m[1]!.startsWith('.') ? join(dirname(m[2]!), m[1]!) : m[1]!));
  const imported = readFileSync(loadLog, 'utf8').split('\n').filter(Boolean);
  const stderr = r.stderr
    .split('\n')
    .filter((l) => !/^MODULE \d+:/.test(l))
    .join('\n');
  return { status: r.status, stdout: r.stdout, stderr, loaded: [...imported, ...required] };
}

test('the bundle answers as the tree does, and loads none of our modules from the tree', () => {
  const commands: { args: string[]; env?: NodeJS.ProcessEnv }[] = [
    { args: ['--help'] },
    { args: ['trace', '--help'] },
    { args: [log] },
    { args: ['-o', 'json', log] },
    { args: ['ingest', '--db', '{db}', log] },
    { args: ['trace', 'pod/default/web-1', '--db', '{db}'] },
    { args: ['trace', 'pod/default/web-1', '--db', '{db}', '-o', 'json'] },
    { args: ['incidents', '--db', '{db}', '-o', 'json'] },
    { args: ['sql', '--db', '{db}', 'SELECT count(*) AS n FROM events'] },
    { args: ['trace', 'pod/default/nothing-here', '--db', '{db}'] },
    { args: ['trace', 'pod/default/web-1', '--db', join(dir, 'missing', 'store.db')] },
    { args: ['read', join(dir, 'no-such-file.log')] },
    { args: ['-o', 'json', log], env: { KTRAIL_DIAGNOSTICS: 'json' } },
    // A parse worker: the bundle starts its own (parse-worker.js), the tree the tree's.
    { args: ['-o', 'json', log], env: { KTRAIL_WORKERS: '1' } },
    { args: ['stats', '--json', log], env: { KTRAIL_WORKERS: '1' } },
  ];
  for (const { args, env } of commands) {
    const [fromTree, fromBundle] = [tree, bundled].map((cli) => {
      const db = join(dir, `${cli === tree ? 'tree' : 'bundle'}.db`);
      const r = run(
        cli,
        args.map((a) => (a === '{db}' ? db : a)),
        env,
      );
      // The store's path and the time a run took are the only parts that may differ.
      const same = (text: string): string => text.replaceAll(db, '{db}').replace(/ in \d+(?:\.\d+)? s\b/g, ' in {time} s');
      return { ...r, stdout: same(r.stdout), stderr: same(r.stderr) };
    });
    const what = `ktrail ${args.join(' ')}`;
    assert.equal(fromBundle!.status, fromTree!.status, `${what}: exit status`);
    assert.equal(fromBundle!.stdout, fromTree!.stdout, `${what}: stdout`);
    assert.equal(fromBundle!.stderr, fromTree!.stderr, `${what}: stderr`);
    if (env?.KTRAIL_WORKERS) {
      assert.ok(fromTree!.loaded.some((f) => f.endsWith('/dist/src/ingest/workers/worker.js')), `${what}: the tree started no parse worker`);
      assert.ok(fromBundle!.loaded.some((f) => f.endsWith('/dist/bundle/parse-worker.js')), `${what}: the bundle started no parse worker`);
    }
    // The tree's run is the control: its modules show in the log.
    assert.ok(fromTree!.loaded.some((f) => f.includes('/dist/src/cli/')), `${what}: the load log saw nothing`);
    const fromTreeFiles = fromBundle!.loaded.filter((f) => /\/dist\/(src|parsers)\//.test(f));
    assert.deepEqual(fromTreeFiles, [], `${what}: the bundle loaded modules of the tree`);
    for (const pkg of BUNDLED_PACKAGES) {
      const fromDisk = fromBundle!.loaded.filter((f) => f.includes(`/node_modules/${pkg}/`) && !f.endsWith('.node'));
      assert.deepEqual(fromDisk, [], `${what}: the bundle loaded ${pkg} from node_modules`);
    }
  }
});
