/**
 * `ktrail query EXPR [PATH...] [--db FILE] [-o json]`: the events a query selects, from the
 * store (the expression becomes parameterized SQL; see src/query).
 */
import { compileSql } from '../query/compile-sql.js';
import { QueryError } from '../query/error.js';
import { parseQuery } from '../query/parser.js';
import { colorEnabled, makeChalk } from '../output/colors.js';
import { eventJson } from '../output/event-json.js';
import { formatEventLine } from '../output/text.js';
import type { Diagnostics } from './diagnostics.js';
import { openStoreFor, type StoreFlags } from './open-store.js';
import { linksJson } from './trace.js';
import { UsageError } from './usage-error.js';

const PAGE = 2000;

/** Parses a query, turning a syntax error into a usage error that points at its column. */
export function parseOrExplain(text: string): ReturnType<typeof parseQuery> {
  try {
    return parseQuery(text);
  } catch (err) {
    if (err instanceof QueryError) {
      const caret = ' '.repeat(Math.max(0, err.column - 1)) + '^';
      throw new UsageError(`${err.message}\n  ${text}\n  ${caret}`);
    }
    throw err;
  }
}

export async function runQuery(
  expr: string,
  paths: string[],
  flags: StoreFlags & { output?: string; limit?: string },
  diag: Diagnostics,
): Promise<number> {
  const ast = parseOrExplain(expr);
  // Read-only unless the store must be migrated first: readers of one store run side by side
  // (open-store.ts), and a long one (incidents of a 5M store: a minute) stops no trace.
  const { store } = await openStoreFor(paths, flags, diag, { preferReadOnly: true });
  try {
    const filter = compileSql(ast, { correlated: true });
    const c = makeChalk(colorEnabled(process.stdout));
    const limit = flags.limit ? Number(flags.limit) : Infinity;
    let after;
    let written = 0;
    const showCluster = store.sources.clusters().length > 1;
    while (written < limit) {
      const page = store.events.page({ after, limit: Math.min(PAGE, limit - written), filter });
      if (page.length === 0) break;
      const links = flags.output === 'json' ? store.objects.linksOfEvents(page.map((e) => e.id)) : undefined;
      let text = '';
      for (const e of page) {
        text += links ? JSON.stringify({ ...eventJson(e), objects: linksJson(links.get(e.id)) }) + '\n' : formatEventLine(e, c, showCluster) + '\n';
      }
      process.stdout.write(text);
      written += page.length;
      const last = page[page.length - 1]!;
      after = { time: last.time, id: last.id };
    }
    return diag.count > 0 ? 1 : 0;
  } finally {
    store.close();
  }
}
