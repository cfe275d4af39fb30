/** Paths the tests share: the repository root, fixtures, and the real-log corpus beside the project. */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireFolder } from './require.js';

function findRepoRoot(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${start}`);
    dir = up;
  }
  return dir;
}

/** The project's root (tests run compiled from dist/test/..., so walk up to package.json). */
export const repoRoot = findRepoRoot(dirname(fileURLToPath(import.meta.url)));
export const fixturesDir = join(repoRoot, 'fixtures');

const corpusRoot = resolve(repoRoot, '..', 'shared', 'corpus');

/**
 * The real-log corpus (../shared/corpus), or undefined when it is absent. Tests that need it pass
 * `{ skip: corpusSkip() }`: outside CI a run without the folder skips them and says why; under
 * CI=true it fails, naming the folder (test/helpers/require.ts). A function, so that a test file
 * that does not need the corpus adds no failing test.
 */
export const corpusDir: string | undefined = existsSync(corpusRoot) ? corpusRoot : undefined;
export const corpusSkip = (): string | false => requireFolder('the real-log corpus folder', corpusRoot);

/** A path inside the corpus; only call it from a test that is skipped when corpusSkip is set. */
export function corpus(...parts: string[]): string {
  if (!corpusDir) throw new Error(`the real-log corpus folder ${corpusRoot} is absent`);
  return join(corpusDir, ...parts);
}

/**
 * The command line as users run it: package.json's bin, the bundle of tsc's output
 * (src/build/bundle.ts). KTRAIL_TEST_CLI=tree runs tsc's tree instead (`npm run coverage`, whose
 * line figures are of the tree's modules). Throws when the bundle is missing or older than the
 * tree, so a test never runs yesterday's build: `npm run build` makes both.
 */
export function cliPath(): string {
  if (process.env.KTRAIL_TEST_CLI === 'tree') return join(repoRoot, 'dist', 'src', 'cli', 'main.js');
  return bundledCli();
}

/** The bundle's entry, whatever KTRAIL_TEST_CLI says (the bundle's own tests); throws as cliPath does. */
export function bundledCli(): string {
  const tree = join(repoRoot, 'dist', 'src', 'cli', 'main.js');
  const bundled = join(repoRoot, 'dist', 'bundle', 'main.js');
  if (!existsSync(bundled) || statSync(bundled).mtimeMs < statSync(tree).mtimeMs) {
    throw new Error(`${bundled} is missing or older than tsc's ${tree}: run npm run build (tsc, then the bundle)`);
  }
  return bundled;
}
