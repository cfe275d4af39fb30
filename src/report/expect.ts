/**
 * `ktrail ci --expect FILE`: what a run expects of the logs. `accept` lists incidents that are
 * known noise (reported, but they do not fail the run, up to an optional count); `require` lists
 * what must happen (an incident kind on matching objects, or events a query selects, at least
 * `min` times). The file is YAML or JSON, checked against EXPECT_SCHEMA (docs/schemas/
 * expect.schema.json); a bad file is refused with the path of the offending value.
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { compileSql, type SqlFilter } from '../query/compile-sql.js';
import picomatch from 'picomatch';
import { QueryError } from '../query/error.js';
import { parseQuery } from '../query/parser.js';
import { validateSchema } from './json-schema.js';
import { EXPECT_SCHEMA } from './schemas/expect-schema.js';

export interface AcceptRule {
  kind: string;
  object?: string;
  max?: number;
  reason?: string;
}

export interface RequireRule {
  name?: string;
  kind?: string;
  object?: string;
  query?: string;
  min?: number;
}

export interface Expectations {
  /** The file as given (for the reports). */
  source: string;
  accept: AcceptRule[];
  require: RequireRule[];
}

/** A bad expectations file: exit status 2, the message names the file and the offending path. */
export class ExpectationsError extends Error {
  override name = 'ExpectationsError';
}

/** Parses and checks an expectations document (already read); `source` names it in errors. */
export function parseExpectations(text: string, source: string): Expectations {
  let doc: unknown;
  try {
    doc = /\.json$/i.test(source) ? JSON.parse(text) : parseYaml(text, { prettyErrors: true });
  } catch (err) {
    throw new ExpectationsError(`${source}: not valid ${/\.json$/i.test(source) ? 'JSON' : 'YAML'}: ${(err as Error).message.split('\n')[0]}`);
  }
  if (doc === null || doc === undefined) doc = {};
  const errors = validateSchema(EXPECT_SCHEMA, doc);
  if (errors.length > 0) {
    const lines = errors.slice(0, 5).map((e) => `${e.path}: ${e.message}`);
    throw new ExpectationsError(`${source}: ${lines.join('; ')}`);
  }
  const d = doc as { accept?: AcceptRule[]; require?: RequireRule[] };
  const require = d.require ?? [];
  require.forEach((r, i) => {
    if (r.query !== undefined && r.object !== undefined) {
      throw new ExpectationsError(`${source}: require[${i}].object: an object pattern goes with "kind", not with "query" (filter objects inside the query)`);
    }
    if (r.query !== undefined) {
      try {
        parseQuery(r.query);
      } catch (err) {
        if (err instanceof QueryError) throw new ExpectationsError(`${source}: require[${i}].query: column ${err.column}: ${err.message}`);
        throw err;
      }
    }
  });
  return { source, accept: d.accept ?? [], require };
}

export async function loadExpectations(file: string): Promise<Expectations> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ExpectationsError(`${file}: cannot read the expectations file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return parseExpectations(text, file);
}

/** The least an incident must tell for expectations to be judged. */
export interface IncidentForExpectations {
  id: number;
  kind: string;
  /** kind/namespace/name of the root object (describeRef). */
  rootLabel: string;
}

export interface AcceptResult {
  index: number;
  kind: string;
  object: string | null;
  max: number | null;
  reason: string | null;
  /** Incidents that match the rule. */
  matched: number;
  /** Ids of the incidents it accepted (at most max). */
  accepted: number[];
  /** More incidents matched than max allows: the rest were not accepted. */
  exceeded: boolean;
}

export interface RequireResult {
  index: number;
  /** What it asks for, in words. */
  description: string;
  kind: string | null;
  object: string | null;
  query: string | null;
  min: number;
  found: number;
  met: boolean;
}

export interface ExpectationResults {
  source: string | null;
  accept: AcceptResult[];
  require: RequireResult[];
}

/**
 * Globs over incident kinds and root objects (picomatch): `*` within one segment, `**` across
 * segments, `?` one character, braces and classes; case-insensitive (kinds are written Pod or
 * pod); `dot` because a name segment may start with a dot.
 */
export function compileGlob(pattern: string): (name: string) => boolean {
  return picomatch(pattern, { nocase: true, dot: true });
}

function matcher(kind: string, object: string | undefined): (i: IncidentForExpectations) => boolean {
  const k = compileGlob(kind);
  const o = object === undefined ? undefined : compileGlob(object);
  return (i) => k(i.kind) && (o === undefined || o(i.rootLabel));
}

export function describeRequirement(r: RequireRule): string {
  if (r.name) return r.name;
  const min = r.min ?? 1;
  const times = min === 1 ? '' : ` at least ${min} times`;
  if (r.query !== undefined) return `events matching ${r.query}${times}`;
  return `${r.kind} incident${r.object ? ` on ${r.object}` : ''}${times}`;
}

/**
 * Judges the expectations. Incidents are offered to the accept rules in the order given (time
 * order): the first rule that matches and still has room takes one. `countEvents` counts the
 * events a compiled query selects (the store does it).
 */
export function evaluateExpectations(
  exp: Expectations | undefined,
  incidents: readonly IncidentForExpectations[],
  countEvents: (filter: SqlFilter) => number,
): { results: ExpectationResults; acceptedBy: Map<number, number> } {
  const acceptedBy = new Map<number, number>();
  if (!exp) return { results: { source: null, accept: [], require: [] }, acceptedBy };
  const accept: AcceptResult[] = exp.accept.map((r, index) => ({
    index,
    kind: r.kind,
    object: r.object ?? null,
    max: r.max ?? null,
    reason: r.reason ?? null,
    matched: 0,
    accepted: [],
    exceeded: false,
  }));
  const matchers = exp.accept.map((r) => matcher(r.kind, r.object));
  for (const inc of incidents) {
    let taken = false;
    matchers.forEach((m, i) => {
      if (!m(inc)) return;
      const res = accept[i]!;
      res.matched++;
      if (taken) return;
      if (res.max !== null && res.accepted.length >= res.max) {
        res.exceeded = true;
        return;
      }
      res.accepted.push(inc.id);
      acceptedBy.set(inc.id, i);
      taken = true;
    });
  }
  const require: RequireResult[] = exp.require.map((r, index) => {
    const min = r.min ?? 1;
    let found: number;
    if (r.query !== undefined) found = countEvents(compileSql(parseQuery(r.query), { correlated: true }));
    else {
      const m = matcher(r.kind!, r.object);
      found = incidents.filter(m).length;
    }
    return {
      index,
      description: describeRequirement(r),
      kind: r.kind ?? null,
      object: r.object ?? null,
      query: r.query ?? null,
      min,
      found,
      met: found >= min,
    };
  });
  return { results: { source: exp.source, accept, require }, acceptedBy };
}
