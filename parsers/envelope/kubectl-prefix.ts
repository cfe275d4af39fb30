/**
 * `kubectl logs --prefix`: `[pod/coredns-6d4b75cb6d-gr6m2/coredns] <payload>`, which names the
 * pod and the container of every line (several pods interleave with `-l` or `--all-containers`).
 * With `--timestamps` too, the RFC3339 time follows the prefix: `[pod/x/c] 2024-...Z <payload>`.
 */
import type { EnvelopeContext, EnvelopeParser, EnvelopeReader, EnvelopeRecord, Line } from '../types.js';
import { PrefixHints, bareRecord, podHints } from './records.js';
import { prefixedRecord } from './timestamp.js';
import { countLines } from './score.js';

// This envelope's name, added to EnvelopeName (parsers/types.ts, EnvelopeNames).
declare module '../types.js' {
  interface EnvelopeNames {
    'kubectl-prefix': true;
  }
}

/** Pod names are DNS subdomains (253), container names DNS labels (63): a prefix is short. */
const MAX_PREFIX = 330;

export interface KubectlPrefix {
  pod: string;
  container: string;
  /** Index just past `] ` (or the end of the text). */
  end: number;
}

/** Reads `[pod/<name>/<container>] ` at the start of a line, or undefined. */
export function readKubectlPrefix(text: string): KubectlPrefix | undefined {
  if (!text.startsWith('[pod/')) return undefined;
  const close = text.indexOf(']', 5);
  if (close < 0 || close > MAX_PREFIX) return undefined;
  if (close + 1 < text.length && text.charCodeAt(close + 1) !== 32) return undefined;
  const slash = text.indexOf('/', 5);
  if (slash < 0 || slash > close) return undefined;
  const pod = text.slice(5, slash);
  const container = text.slice(slash + 1, close);
  if (!pod || !container || /[\s/[]/.test(pod) || /[\s/[]/.test(container)) return undefined;
  return { pod, container, end: close + 2 };
}

class KubectlPrefixReader implements EnvelopeReader {
  private readonly hints: PrefixHints;

  constructor(ctx: EnvelopeContext) {
    this.hints = new PrefixHints(ctx.hints);
  }

  push(line: Line): EnvelopeRecord[] {
    const p = readKubectlPrefix(line.text);
    if (!p) return [bareRecord(line, this.hints.unprefixed)];
    const key = line.text.slice(0, p.end);
    return [prefixedRecord(line, p.end, this.hints.get(key) ?? this.hints.add(key, podHints(p.pod, p.container)))];
  }

  end(): EnvelopeRecord[] {
    return [];
  }
}

export const kubectlPrefixEnvelope: EnvelopeParser = {
  name: 'kubectl-prefix',
  nestable: true,
  score: countLines(readKubectlPrefix),
  create: (ctx) => new KubectlPrefixReader(ctx),
};
