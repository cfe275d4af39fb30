/**
 * Opening an SQLite file with better-sqlite3, its native addon named by path. Without
 * `nativeBinding` the package finds the addon through `bindings`, which reads its caller's file
 * from a stack trace and require()s candidate paths until one loads (build/ and build/Debug/
 * throw MODULE_NOT_FOUND before build/Release/): the first open took ~7 ms that way and ~1.3 ms
 * by path (medians of 10 runs each, dlopen included), a tenth of what `ktrail trace` spends above
 * Node's own start.
 * An install that put the addon anywhere else (a Debug build only) still loads it through
 * `bindings`, as before.
 */
import { createRequire } from 'node:module';
import Database from 'better-sqlite3';

const load = createRequire(import.meta.url);
let addon: string | null | undefined;

/** build/Release/better_sqlite3.node as `resolve` finds it, or null (`bindings` searches its other places). */
export function addonAt(resolve: (id: string) => string): string | null {
  try {
    return resolve('better-sqlite3/build/Release/better_sqlite3.node');
  } catch {
    return null;
  }
}

export function openSqliteFile(file: string, options: Omit<Database.Options, 'nativeBinding'> = {}): Database.Database {
  if (addon === undefined) addon = addonAt(load.resolve);
  return new Database(file, addon === null ? options : { ...options, nativeBinding: addon });
}
