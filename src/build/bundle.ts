/**
 * The command line as users run it: tsc's output (dist/src, dist/parsers) bundled by esbuild into
 * dist/bundle/, one entry (main.js) and the chunks its commands import when they run.
 *
 * Why a bundle: Node 20 has no compile cache, and its ES module loader resolves, reads and links
 * every module one by one. `ktrail trace` on an existing store loaded about 45 files (ours,
 * commander's and better-sqlite3's) and spent about 15 ms of CPU on that alone, a tenth of its
 * run; `--help` about 8 ms. The bundle keeps each command's laziness: esbuild's code splitting
 * makes every `await import()` of a command a chunk of its own, loaded when the command runs, so
 * `--help` still loads no store and reading loads no UI (test/src/build/bundle.test.ts checks
 * what each command's chunks hold, through the metafile written beside them).
 *
 * What is bundled: our modules, and the two packages every store command starts with (commander,
 * better-sqlite3's JavaScript). Every other package stays a plain import, loaded from
 * node_modules when its command needs it: native addons (zstd-napi, chdb), packages that find
 * their own files beside them (pino's transports, chokidar, ink's yoga), and those only a long
 * command loads, where a few milliseconds do not matter.
 *
 * The parse worker is a second entry (WORKER_ENTRIES): each read of 16 MB or more starts two.
 *
 * Rewrites keep the bundle's behaviour the tree's:
 * - `import.meta.url` in each of our modules becomes that module's own file in the tree, so every
 *   path made from it (worker scripts, createRequire, the fixtures folder, package.json) is the
 *   same as when the tree runs unbundled.
 * - our lazily required modules (sqlite-store.ts's areas) are bundled: see bundleOwnRequires.
 * - commander's `require('node:child_process')` (used only to run external subcommands, which
 *   ktrail has none of) is loaded on first use: compiling that built-in module took 3-5 ms of
 *   every start.
 *
 * Run by `npm run build` after tsc: node dist/src/build/bundle.js
 */
import { build, type Plugin } from 'esbuild';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The packages bundled into the chunks (every other package is imported from node_modules). */
export const BUNDLED_PACKAGES: readonly string[] = ['commander', 'better-sqlite3'];

/** The folder the bundle is written to, relative to the project root. */
const BUNDLE_DIR = join('dist', 'bundle');

/** The name of a bare import's package (`@scope/name/x` gives `@scope/name`), or undefined for a path. */
export function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/**
 * Module source with `import.meta.url` replaced by the URL of `file` (the module's own path in the
 * tree), made relative to the chunk that will hold it: chunks are all written flat into `outdir`.
 */
export function pinModuleUrl(source: string, file: string, outdir: string): string {
  return source.replaceAll('import.meta.url', pinnedUrl(file, outdir));
}

/** The expression pinModuleUrl puts for `import.meta.url` in the module at `file`. */
function pinnedUrl(file: string, outdir: string): string {
  return `new URL(${JSON.stringify(relative(outdir, file).split(sep).join('/'))}, import.meta.url).href`;
}

/**
 * Module source with each `load('./x.js')` (our own module, loaded on first use through
 * `const load = createRequire(import.meta.url)`: src/store/sqlite-store.ts) made a plain
 * `require('./x.js')`, which esbuild bundles and still runs on first use. Left as it was, the
 * bundle would load the tree's copy of the module and of everything it imports: a second copy of
 * classes the rest of the bundle checks with instanceof, and of module state.
 */
export function bundleOwnRequires(source: string): string {
  return source.replace(/\bload\((['"])(\.{1,2}\/[^'"]+\.js)\1\)/g, 'require($1$2$1)');
}

/**
 * Worker scripts bundled as entries of their own: `tree` (from the project root) is the script a
 * module beside it starts with `new Worker(new URL('./<its name>', import.meta.url))`, `name`
 * the bundle's file for it. A parse worker loading the tree's ~100 modules one by one spent
 * about 90 ms of CPU before its first line (two per read of 16 MB or more). The ClickHouse
 * bridge's and the ingest lock's workers, started once per run against a server, stay the tree's.
 */
const WORKER_ENTRIES: readonly { tree: string; name: string }[] = [{ tree: 'dist/src/ingest/workers/worker.js', name: 'parse-worker' }];

/**
 * Module source (the module at `file`, its `import.meta.url` pinned already) with the URL of each
 * bundled worker script beside it made the bundle's: `./parse-worker.js` beside the chunk.
 */
export function bundledWorkerUrls(pinned: string, file: string, root: string, outdir: string): string {
  let out = pinned;
  for (const w of WORKER_ENTRIES) {
    const script = join(root, w.tree);
    if (dirname(script) !== dirname(file)) continue;
    out = out.replaceAll(`new URL('./${basename(script)}', ${pinnedUrl(file, outdir)})`, `new URL('./${w.name}.js', import.meta.url)`);
  }
  return out;
}

const LAZY_CHILD_PROCESS = `let loaded;
module.exports = new Proxy({}, { get: (_target, key) => (loaded ??= require('node:child_process'))[key] });
`;

function plugin(root: string, outdir: string): Plugin {
  const ours = [join(root, 'dist', 'src') + sep, join(root, 'dist', 'parsers') + sep];
  return {
    name: 'ktrail',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.path === 'node:child_process' && args.importer.includes(`${sep}node_modules${sep}commander${sep}`)) {
          return { path: 'lazy-child-process', namespace: 'ktrail' };
        }
        const pkg = packageOf(args.path);
        if (pkg === undefined) return undefined; // node: built-ins: esbuild leaves them external
        return BUNDLED_PACKAGES.includes(pkg) ? undefined : { path: args.path, external: true };
      });
      b.onLoad({ filter: /.*/, namespace: 'ktrail' }, () => ({ contents: LAZY_CHILD_PROCESS, loader: 'js', resolveDir: root }));
      b.onLoad({ filter: /\.js$/ }, async (args) => {
        if (!ours.some((dir) => args.path.startsWith(dir))) return undefined;
        const pinned = pinModuleUrl(await readFile(args.path, 'utf8'), args.path, outdir);
        return { contents: bundleOwnRequires(bundledWorkerUrls(pinned, args.path, root, outdir)), loader: 'js' };
      });
    },
  };
}

/** Bundles `root`'s built tree (tsc has run) into root/dist/bundle; returns the output files. */
export async function bundle(root: string): Promise<string[]> {
  const outdir = join(root, BUNDLE_DIR);
  // Chunks are named by their content's hash: without this, every build would add its own.
  await rm(outdir, { recursive: true, force: true });
  const result = await build({
    entryPoints: {
      main: join(root, 'dist', 'src', 'cli', 'main.js'),
      ...Object.fromEntries(WORKER_ENTRIES.map((w) => [w.name, join(root, w.tree)])),
    },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    metafile: true,
    absWorkingDir: root,
    write: true,
    logLevel: 'warning',
    plugins: [plugin(root, outdir)],
    // A bundled CommonJS package calls require(); an ES module has none, so each chunk makes one.
    banner: { js: "import { createRequire as __ktrailRequire } from 'node:module';\nconst require = __ktrailRequire(import.meta.url);" },
  });
  await writeFile(join(outdir, 'meta.json'), JSON.stringify(result.metafile));
  return Object.keys(result.metafile.outputs);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
  bundle(root).catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
