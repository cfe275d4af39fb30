/**
 * No module of src/ or parsers/ imports itself back through others, not even through a type-only
 * import: a cycle makes load order matter (a runtime one can see undefined bindings) and ties
 * modules that should change apart. madge builds the import graph with TypeScript's resolver.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from './helpers/paths.js';

interface MadgeResult {
  circular(): string[][];
  obj(): Record<string, string[]>;
}
type Madge = (paths: string[], config: Record<string, unknown>) => Promise<MadgeResult>;

// madge ships CommonJS without type declarations.
const madge = createRequire(import.meta.url)('madge') as Madge;

test('src/ and parsers/ have no import cycles', async () => {
  const result = await madge([join(repoRoot, 'src'), join(repoRoot, 'parsers')], {
    baseDir: repoRoot,
    fileExtensions: ['ts'],
    tsConfig: join(repoRoot, 'tsconfig.json'),
  });
  // The graph must really be the project's (a wrong setup finds no files and no cycles).
  const graph = result.obj();
  assert.ok(Object.keys(graph).length > 150, `only ${Object.keys(graph).length} modules found`);
  assert.ok(graph['src/ingest/run.ts']?.includes('src/ingest/merge.ts'), 'run.ts -> merge.ts edge not seen');
  assert.deepEqual(result.circular(), []);
});
