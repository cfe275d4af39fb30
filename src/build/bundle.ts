/**
 * The command line as users run it: tsc's output (dist/src, dist/parsers) bundled by esbuild into
 * dist/bundle/, one entry (main.js) and the chunks its commands import when they run.
 *
 * Why a bundle: Node 20 has no compile cache, and its ES module loader resolves, reads and links
 * every module one by one. `ktrail trace` on an existing store loaded about 45 files (ours,
 * commander's and better-sqlite3's) and spent about 15 ms of CPU on that alone, a tenth of its
 * run; `--help` about 8 ms. The bundle keeps each command's laziness: esbuild's code splitting
 * makes every `await import()` of a command a chunk of its own, loaded when the command runs, so
 * `--help` still loads no store and reading loads no UI (test/src/cli/startup.test.ts checks it
 * on the bundle, through the metafile written beside it).
 *
 * What is bundled: our modules, and the two packages every store command starts with (commander,
 * better-sqlite3's JavaScript). Every other package stays a plain import, loaded from
 * node_modules when its command needs it: native addons (zstd-napi, chdb), packages that find
 * their own files beside them (pino's transports, chokidar, ink's yoga), and those only a long
 * command loads, where a few milliseconds do not matter.
 *
 * Two rewrites keep the bundle's behaviour the tree's:
 * - `import.meta.url` in each of our modules becomes that module's own file in the tree, so every
 *   path made from it (worker scripts, createRequire, the fixtures folder, package.json) is the
 *   same as when the tree runs unbundled.
 * - commander's `require('node:child_process')` (used only to run external subcommands, which
 *   ktrail has none of) is loaded on first use: compiling that built-in module took 3-5 ms of
 *   every start.
 *
 * Run by `npm run build` after tsc: node dist/src/build/bundle.js
 */
import { build, type Plugin } from 'esbuild';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The packages bundled into the chunks (every other package is imported from node_modules). */
export const BUNDLED_PACKAGES: readonly string[] = ['commander', 'better-sqlite3'];

/** The folder the bundle is written to, relative to the project root. */
export const BUNDLE_DIR = join('dist', 'bundle');

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
  if (!source.includes('import.meta.url')) return source;
  const rel = relative(outdir, file).split(sep).join('/');
  return source.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, import.meta.url).href`);
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
        return { contents: bundleOwnRequires(pinModuleUrl(await readFile(args.path, 'utf8'), args.path, outdir)), loader: 'js' };
      });
    },
  };
}

/** Bundles `root`'s built tree (tsc has run) into root/dist/bundle; returns the output files. */
export async function bundle(root: string): Promise<string[]> {
  const outdir = join(root, BUNDLE_DIR);
  const result = await build({
    entryPoints: [join(root, 'dist', 'src', 'cli', 'main.js')],
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
