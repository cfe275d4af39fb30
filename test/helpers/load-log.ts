/**
 * A record of the files a CLI run loads: a module hook (node --import) that appends every URL the
 * ES module loader resolves to the file named by KTRAIL_LOAD_LOG, on the main thread and in
 * workers (they inherit --import). require() is not seen: NODE_DEBUG=module logs those.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const HOOKS = `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(process.env.KTRAIL_LOAD_LOG, r.url + '\\n');
  return r;
}
`;

/** Writes the hook into `dir`; returns node's arguments that install it (before the script). */
export function loadLogArgs(dir: string): string[] {
  writeFileSync(join(dir, 'hooks.mjs'), HOOKS);
  writeFileSync(join(dir, 'register.mjs'), "import { register } from 'node:module';\nregister(new URL('./hooks.mjs', import.meta.url));\n");
  return ['--import', pathToFileURL(join(dir, 'register.mjs')).href];
}
