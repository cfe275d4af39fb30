/**
 * `docker compose logs` (and `docker-compose up` output): `kube-proxy-1  | <payload>`: the
 * service name, its replica number (`-1` in Compose v2, `_1` in v1), padding to the longest name,
 * then `| `. `--timestamps` puts an RFC3339 time after the bar. Colored output wraps the prefix
 * in ANSI codes. Lines without the prefix are Compose's own (`time="..." level=warning msg="..."`
 * about the compose file): writer 'other'.
 */
import type { EnvelopeContext, EnvelopeParser, EnvelopeReader, EnvelopeRecord, Line, SourceHints } from '../types.js';
import { componentFromName } from './component-names.js';
import { PrefixHints, bareRecord, mergeHints } from './records.js';
import { prefixedRecord } from './timestamp.js';
import { countLines } from './score.js';

// This envelope's name, added to EnvelopeName (parsers/types.ts, EnvelopeNames).
declare module '../types.js' {
  interface EnvelopeNames {
    compose: true;
  }
}

/**
 * name, padding, bar, then a space or the end. Neither the name's characters nor the ANSI codes
 * overlap the spaces, so matching is linear.
 */
const PREFIX = /^(?:\x1b\[[0-9;]*m)?([A-Za-z0-9][\w.-]{0,254}?) +(?:\x1b\[[0-9;]*m)?\|(?:\x1b\[[0-9;]*m)?(?: |$)/;
const REPLICA = /^(.+?)[-_](\d{1,5})$/;

export interface ComposePrefix {
  /** The name as printed (`kube-proxy-1`). */
  name: string;
  /** The service without its replica number (`kube-proxy`). */
  service: string;
  replica?: number;
  /** Where the payload starts. */
  end: number;
}

/** Reads a compose prefix, or undefined. */
export function readComposePrefix(text: string): ComposePrefix | undefined {
  const m = PREFIX.exec(text);
  if (!m) return undefined;
  const name = m[1]!;
  const r = REPLICA.exec(name);
  const out: ComposePrefix = { name, service: r ? r[1]! : name, end: Math.min(m[0].length, text.length) };
  if (r) out.replica = Number(r[2]);
  return out;
}

class ComposeReader implements EnvelopeReader {
  private readonly ownLines: SourceHints;
  private readonly hints: PrefixHints;

  constructor(ctx: EnvelopeContext) {
    this.ownLines = mergeHints(ctx.hints, { component: 'other' });
    this.hints = new PrefixHints(ctx.hints);
  }

  private hintsFor(p: ComposePrefix): SourceHints {
    const known = this.hints.get(p.name);
    if (known) return known;
    const own: SourceHints = { identifier: p.service };
    const component = componentFromName(p.service);
    if (component) own.component = component;
    return this.hints.add(p.name, own);
  }

  push(line: Line): EnvelopeRecord[] {
    const p = readComposePrefix(line.text);
    if (!p) return [bareRecord(line, this.ownLines)];
    return [prefixedRecord(line, p.end, this.hintsFor(p))];
  }

  end(): EnvelopeRecord[] {
    return [];
  }
}

export const composeEnvelope: EnvelopeParser = {
  samples: ['kube-proxy-1  | I0321 14:51:23.344949       1 server_others.go:72] "Using iptables proxy"'],
  name: 'compose',
  /** Only prefixes with a replica number count: `Name | value` in some table is not compose. */
  score: countLines((line) => readComposePrefix(line)?.replica !== undefined),
  create: (ctx) => new ComposeReader(ctx),
};
