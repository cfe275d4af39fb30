/**
 * The simple filters of the read command (--component, --level, --since, --until). The query
 * language (src/query) compiles richer expressions to a predicate of the same shape.
 */
import { isComponent, severityRank, SEVERITIES, type Component, type KEvent, type Severity } from '../model/event.js';
import { rfc3339Micros } from '../util/time.js';

export type EventPredicate = (e: KEvent) => boolean;

export interface SimpleFilter {
  components?: Component[];
  minLevel?: Severity;
  since?: number;
  until?: number;
  /** Only events of this cluster ('' : those of input with no cluster name). */
  cluster?: string;
}

const DURATION = /^(\d+(?:\.\d+)?)(us|µs|ms|s|m|h|d)$/;
const UNIT_MICROS: Record<string, number> = {
  us: 1,
  µs: 1,
  ms: 1e3,
  s: 1e6,
  m: 60e6,
  h: 3600e6,
  d: 86400e6,
};

/** "250ms", "10m", "2h" to microseconds, or undefined. */
export function parseDuration(text: string): number | undefined {
  const m = DURATION.exec(text.trim());
  return m ? Number(m[1]) * UNIT_MICROS[m[2]!]! : undefined;
}

/**
 * A point in time from the command line: an RFC3339 timestamp (a date alone means its midnight
 * UTC), or a duration meaning that long before `now`.
 */
export function parseTimeArg(text: string, now: number = Date.now() * 1000): number {
  const d = parseDuration(text);
  if (d !== undefined) return now - d;
  const t = rfc3339Micros(text) ?? rfc3339Micros(`${text}T00:00:00Z`);
  if (t === undefined) throw new Error(`not a time or a duration: "${text}" (try 2025-03-21T14:51:00Z or 15m)`);
  return t;
}

export function parseLevel(text: string): Severity {
  const t = text.toLowerCase();
  const alias: Record<string, Severity> = { warning: 'warn', err: 'error', critical: 'fatal', trace: 'debug' };
  const s = alias[t] ?? t;
  if ((SEVERITIES as readonly string[]).includes(s)) return s as Severity;
  throw new Error(`unknown level "${text}" (one of ${SEVERITIES.join(', ')})`);
}

export function parseComponents(list: string[]): Component[] {
  return list
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      if (!isComponent(s)) throw new Error(`unknown component "${s}"`);
      return s;
    });
}

/** The keys the simple filter reads: whole events or rendered ones (src/output/render.ts) have them. */
export type FilterKeys = Pick<KEvent, 'component' | 'severity' | 'time' | 'cluster'>;

export function compileSimpleFilter(f: SimpleFilter): ((e: FilterKeys) => boolean) | undefined {
  const checks: ((e: FilterKeys) => boolean)[] = [];
  if (f.components?.length) {
    const set = new Set<string>(f.components);
    checks.push((e) => set.has(e.component));
  }
  if (f.minLevel) {
    const min = severityRank(f.minLevel);
    checks.push((e) => severityRank(e.severity) >= min);
  }
  if (f.since !== undefined) {
    const since = f.since;
    checks.push((e) => e.time >= since);
  }
  if (f.until !== undefined) {
    const until = f.until;
    checks.push((e) => e.time <= until);
  }
  if (f.cluster !== undefined) {
    const cluster = f.cluster;
    checks.push((e) => (e.cluster ?? '') === cluster);
  }
  if (checks.length === 0) return undefined;
  return (e) => checks.every((c) => c(e));
}
