/**
 * `kubectl logs --prefix`: `[pod/coredns-6d4b75cb6d-gr6m2/coredns] <payload>`, which names the
 * pod and the container of every line (several pods interleave with `-l` or `--all-containers`).
 * With `--timestamps` too, the RFC3339 time follows the prefix: `[pod/x/c] 2024-...Z <payload>`.
 */
import type { EnvelopeContext, EnvelopeParser, EnvelopeReader, EnvelopeRecord, Line, SourceHints } from '../types.js';
import { componentFromName } from './component-names.js';
import { bareRecord, lineRecord, mergeHints } from './records.js';
import { readLeadingTimestamp } from './timestamp.js';

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
  private readonly placeHints: SourceHints;
  private readonly cache = new Map<string, SourceHints>();

  constructor(private readonly ctx: EnvelopeContext) {
    this.placeHints = mergeHints(ctx.hints, {});
  }

  private hintsFor(p: KubectlPrefix, key: string): SourceHints {
    let hints = this.cache.get(key);
    if (hints) return hints;
    const own: SourceHints = { pod: { name: p.pod, container: p.container } };
    // The container names the component (static pods: `etcd`, `kube-apiserver`); failing that,
    // the pod's name may (`kube-proxy-x6z2k`).
    const component = componentFromName(p.container) ?? componentFromName(p.pod);
    if (component) own.component = component;
    hints = mergeHints(this.ctx.hints, own);
    if (this.cache.size >= 4096) this.cache.clear();
    this.cache.set(key, hints);
    return hints;
  }

  push(line: Line): EnvelopeRecord[] {
    const p = readKubectlPrefix(line.text);
    if (!p) return [bareRecord(line, this.placeHints)];
    const hints = this.hintsFor(p, line.text.slice(0, p.end));
    const ts = p.end < line.text.length ? readLeadingTimestamp(line.text, p.end) : undefined;
    if (ts) return [lineRecord(line, ts.payload, ts.micros, hints)];
    return [lineRecord(line, p.end, undefined, hints)];
  }

  end(): EnvelopeRecord[] {
    return [];
  }
}

export const kubectlPrefixEnvelope: EnvelopeParser = {
  name: 'kubectl-prefix',
  nestable: true,
  score(sample: string[]): number {
    let n = 0;
    for (const line of sample) if (readKubectlPrefix(line)) n++;
    return n;
  },
  create: (ctx) => new KubectlPrefixReader(ctx),
};
