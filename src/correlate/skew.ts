/**
 * Clock skew between hosts, estimated from causal pairs: two lines written on two hosts where
 * the first caused the second, so that the second cannot truly come before the first. Each pair
 * bounds one side of the difference between the two hosts' clocks:
 *
 *   - the scheduler binds a pod (control-plane clock, time s), then the node's kubelet gets it
 *     (`SyncLoop ADD` source="api", node clock, time a): off(node) - off(cp) <= a - s (upper bound;
 *     the delay is a watch event's, milliseconds);
 *   - the kubelet gets a pod (`SyncLoop ADD`, node clock, a), then the apiserver receives that
 *     node's first status PATCH of it (audit, user system:node:<node>, cp clock, b): off(node) -
 *     off(cp) >= a - b (lower bound; the kubelet has to sync the pod first, so the delay is longer).
 *
 * Per host, the estimate is the median of its upper bounds (the tight side) when it has any, else
 * the median of its lower bounds, with the number of pairs of each side; medians, so that a pair
 * matched wrongly (a pod name reused) does not move it. Offsets are relative to the reference
 * clock: the one most control-plane lines of the pairs came from. A host without a host name (a
 * raw scheduler log) is its component's clock. Hosts reached only through another control plane
 * (several apiservers, each with its own clock) are chained through that control plane's own
 * kubelet. Applied on request (`--fix-skew`, skew-fix.ts): each host's events move by minus its
 * offset, before the merge.
 */
import { appendAll } from '../util/append.js';

/** The middle value (the mean of the two middle ones for an even count); `values` is not empty. */
function median(values: readonly number[]): number {
  const v = [...values].sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 ? v[m]! : (v[m - 1]! + v[m]!) / 2;
}

/** What the estimator reads of an event (a KEvent or a stored event). */
export interface SkewInput {
  time: number;
  component: string;
  host?: string | null;
  message: string;
  fields: Record<string, unknown>;
}

export interface HostSkew {
  host: string;
  /** Estimated offset of this host's clock from the reference (microseconds; + = ahead), or null. */
  offsetUs: number | null;
  /** Median of the lower and upper bounds (microseconds), null without pairs on that side. */
  lowerUs: number | null;
  upperUs: number | null;
  lowerPairs: number;
  upperPairs: number;
  reference: boolean;
  /** False when the bounds contradict each other (median lower above median upper). */
  consistent: boolean;
}

export interface SkewReport {
  reference: string | null;
  hosts: HostSkew[];
  pairs: number;
}

/** Pairs further apart than this are not one causal step (a pod name reused much later). */
const MAX_PAIR_GAP = 5 * 60 * 1_000_000;

interface Stamp {
  clock: string;
  time: number;
}

const STATUS_URI = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/?]+)\/status(?:\?|$)/;
/** 1.20's unstructured form: `SyncLoop (ADD, "api"): "name_ns(uid), name2_ns2(uid2)"`. */
const LEGACY_ADD = /^SyncLoop \(ADD, "api"\): "(.*)"$/;

/** The clock an event was stamped by: its host's, or its component's when no host is known. */
export function clockOf(e: Pick<SkewInput, 'component' | 'host'>): string {
  return e.host ?? `${e.component} (no host)`;
}

/** "ns/name" entries of the kubelet's pods field (a list, or klog's "[a/b c/d]" text). */
function podsOf(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((p): p is string => typeof p === 'string');
  if (typeof v === 'string') return v.replace(/^\[|\]$/g, '').split(/[\s,]+/).filter((p) => p.includes('/'));
  return [];
}

function addedPods(e: SkewInput): string[] {
  if (e.message === 'SyncLoop ADD') return e.fields['source'] === 'api' ? podsOf(e.fields['pods']) : [];
  const m = LEGACY_ADD.exec(e.message);
  if (!m) return [];
  return m[1]!.split(', ').flatMap((p) => {
    const n = /^(.+)_([^_(]+)\(/.exec(p);
    return n ? [`${n[2]}/${n[1]}`] : [];
  });
}

function keepFirst(map: Map<string, Stamp>, key: string, s: Stamp): void {
  const had = map.get(key);
  if (!had || s.time < had.time) map.set(key, s);
}

/** Collects the pair ends from events in any order; `report()` pairs them and estimates. */
export class SkewCollector {
  private readonly binds = new Map<string, Stamp>();
  /** pod -> the kubelet's first ADD of it, per node clock. */
  private readonly adds = new Map<string, Stamp[]>();
  /** "ns/name node" -> the first status PATCH of that pod by that node. */
  private readonly patches = new Map<string, Stamp>();
  private readonly cpLines = new Map<string, number>();

  add(e: SkewInput): void {
    if (!e.time) return;
    if (e.component === 'kube-scheduler' && e.message === 'Successfully bound pod to node') {
      const pod = e.fields['pod'];
      if (typeof pod === 'string') keepFirst(this.binds, pod, { clock: clockOf(e), time: e.time });
    } else if (e.component === 'kubelet') {
      for (const pod of addedPods(e)) {
        const list = this.adds.get(pod) ?? [];
        const clock = clockOf(e);
        const had = list.find((s) => s.clock === clock);
        if (!had) list.push({ clock, time: e.time });
        else if (e.time < had.time) had.time = e.time;
        this.adds.set(pod, list);
      }
    } else if (e.component === 'audit' && e.fields['verb'] === 'patch') {
      const user = e.fields['user'];
      const m = typeof e.fields['requestURI'] === 'string' ? STATUS_URI.exec(e.fields['requestURI']) : null;
      if (m && typeof user === 'string' && user.startsWith('system:node:')) {
        keepFirst(this.patches, `${m[1]}/${m[2]} ${user.slice('system:node:'.length)}`, { clock: clockOf(e), time: e.time });
      }
    }
  }

  report(): SkewReport {
    // bounds.get(node clock).get(cp clock) = { lower: [...], upper: [...] } on off(node) - off(cp).
    const bounds = new Map<string, Map<string, { lower: number[]; upper: number[] }>>();
    const side = (node: string, cp: string): { lower: number[]; upper: number[] } => {
      let byCp = bounds.get(node);
      if (!byCp) bounds.set(node, (byCp = new Map()));
      let b = byCp.get(cp);
      if (!b) byCp.set(cp, (b = { lower: [], upper: [] }));
      return b;
    };
    const cpCount = (clock: string): void => void this.cpLines.set(clock, (this.cpLines.get(clock) ?? 0) + 1);
    let pairs = 0;
    for (const [pod, adds] of this.adds) {
      const bind = this.binds.get(pod);
      for (const add of adds) {
        if (bind && Math.abs(add.time - bind.time) <= MAX_PAIR_GAP) {
          side(add.clock, bind.clock).upper.push(add.time - bind.time);
          cpCount(bind.clock);
          pairs++;
        }
        // The node that got the pod patches its status: its patches are named by node, its
        // lines by host, and the two are the same name in every capture that has both.
        const patch = this.patches.get(`${pod} ${add.clock}`);
        if (patch && Math.abs(add.time - patch.time) <= MAX_PAIR_GAP) {
          side(add.clock, patch.clock).lower.push(add.time - patch.time);
          cpCount(patch.clock);
          pairs++;
        }
      }
    }
    const reference = [...this.cpLines].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? null;
    const known = new Map<string, number>();
    if (reference) known.set(reference, 0);
    const estimates = new Map<string, HostSkew>();
    // Chain outwards from the reference: each round places the hosts with pairs to a placed clock.
    for (let round = 0; round <= bounds.size; round++) {
      let placed = false;
      for (const [node, byCp] of bounds) {
        if (estimates.has(node)) continue;
        const lower: number[] = [];
        const upper: number[] = [];
        for (const [cp, b] of byCp) {
          const base = known.get(cp);
          if (base === undefined) continue;
          appendAll(lower, b.lower.map((v) => v + base));
          appendAll(upper, b.upper.map((v) => v + base));
        }
        if (lower.length + upper.length === 0) continue;
        const lowerUs = lower.length ? median(lower) : null;
        const upperUs = upper.length ? median(upper) : null;
        const offsetUs = upperUs ?? lowerUs!;
        const isRef = node === reference;
        estimates.set(node, {
          host: node,
          offsetUs: isRef ? 0 : Math.round(offsetUs),
          lowerUs: lowerUs === null ? null : Math.round(lowerUs),
          upperUs: upperUs === null ? null : Math.round(upperUs),
          lowerPairs: lower.length,
          upperPairs: upper.length,
          reference: isRef,
          consistent: lowerUs === null || upperUs === null || lowerUs <= upperUs,
        });
        if (!known.has(node)) known.set(node, Math.round(offsetUs));
        placed = true;
      }
      if (!placed) break;
    }
    if (reference && !estimates.has(reference)) {
      estimates.set(reference, { host: reference, offsetUs: 0, lowerUs: null, upperUs: null, lowerPairs: 0, upperPairs: 0, reference: true, consistent: true });
    }
    // Hosts with pairs to no placed clock: named, with no estimate.
    for (const node of bounds.keys()) {
      if (!estimates.has(node)) estimates.set(node, { host: node, offsetUs: null, lowerUs: null, upperUs: null, lowerPairs: 0, upperPairs: 0, reference: false, consistent: true });
    }
    const hosts = [...estimates.values()].sort((a, b) => Number(b.reference) - Number(a.reference) || a.host.localeCompare(b.host));
    return { reference, hosts, pairs };
  }
}

/** The skew report of a list of events. */
export function estimateSkew(events: Iterable<SkewInput>): SkewReport {
  const c = new SkewCollector();
  for (const e of events) c.add(e);
  return c.report();
}

/** "+1.503 s", "-12 ms", "0 ms": an offset for people. */
export function formatOffset(us: number): string {
  const sign = us > 0 ? '+' : us < 0 ? '-' : '';
  const a = Math.abs(us);
  if (a >= 1_000_000) return `${sign}${(a / 1_000_000).toFixed(3)} s`;
  return `${sign}${Math.round(a / 1000)} ms`;
}

/** One line per host, for `ktrail stats` and the CI report's terminal summary. */
export function formatSkewLines(r: SkewReport): string[] {
  if (r.hosts.length === 0) return ['clock skew: no causal pairs between hosts (scheduler bind -> kubelet ADD, kubelet ADD -> status PATCH audit)'];
  const out = [`clock skew (reference ${r.reference ?? '-'}; from ${r.pairs} causal pairs; + = ahead of the reference):`];
  for (const h of r.hosts) {
    const bounds = `bounds ${h.lowerUs === null ? '-' : formatOffset(h.lowerUs)} .. ${h.upperUs === null ? '-' : formatOffset(h.upperUs)} (${h.lowerPairs} lower, ${h.upperPairs} upper)`;
    const what = h.reference ? 'reference' : h.offsetUs === null ? 'no pairs with a placed clock' : formatOffset(h.offsetUs);
    out.push(`  ${h.host}: ${what}; ${bounds}${h.consistent ? '' : '; bounds contradict'}`);
  }
  return out;
}
