/** Synthetic KEvents for the store and query tests: a builder and a seeded random generator. */
import { COMPONENTS, SEVERITIES, type KEvent, type ObjectRef, type PayloadFormat } from '../../../src/model/event.js';

/** mulberry32: small, fast, deterministic for a seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(r: () => number, items: readonly T[]): T {
  return items[Math.floor(r() * items.length)]!;
}

export const T0 = Date.UTC(2025, 2, 21, 14, 51, 0) * 1000;

/** An event with sensible defaults; `file` defaults to "a.log". */
export function makeEvent(p: Partial<KEvent> & { seq: number }): KEvent {
  return {
    time: T0 + p.seq * 1000,
    component: 'kubelet',
    severity: 'info',
    message: `message ${p.seq}`,
    fields: {},
    objects: [],
    raw: `I0321 14:51:00.000000 1 x.go:1] message ${p.seq}`,
    format: 'klog',
    ...p,
    source: p.source ?? { file: 'a.log', line: p.seq, endLine: p.seq, format: 'none/klog' },
  };
}

// Value pools shared by the event generator and the query generator (test/src/query), so that
// random queries hit random events often enough to mean something.
export const HOSTS = ['worker-1', 'worker-2', 'control-plane'];
export const FILES = ['a.log', 'b.log', 'nodes/worker-1/kubelet.log'];
export const FORMATS: PayloadFormat[] = ['klog', 'klog-json', 'etcd-zap', 'coredns', 'unknown'];
export const WORDS = ['error', 'Error', 'timeout', 'pod', 'web-1', 'started', 'failed', 'x=1', 'a"b', 'ünï', '%_'];
export const NAMESPACES = ['default', 'kube-system'];
export const NAMES = ['web-1', 'web-2', 'coredns-5d', 'worker-1'];
export const UIDS = ['uid-a', 'uid-b', 'uid-c'];
export const KINDS = ['Pod', 'Node', 'ReplicaSet', 'pod'];
export const FIELD_NAMES = ['took', 'code', 'reason', 'ok', 'obj', 'count', 'latency'];
export const REASONS = ['BackOff', 'Pulled', 'Killing', '500', ''];
export const DURATIONS = ['469.7ms', '1.5s', '100ms', '2m', '1m30s', '250us', '0s', 'fast'];

function randomFieldValue(r: () => number, name: string): unknown {
  switch (name) {
    case 'took':
    case 'latency':
      return r() < 0.85 ? pick(r, DURATIONS) : pick(r, [0.5, 100, null]);
    case 'code':
      return pick(r, [200, 404, 500, 503, '500', '200', 'x', 500.5]);
    case 'reason':
      return pick(r, REASONS);
    case 'ok':
      return pick(r, [true, false, null]);
    case 'obj':
      return pick(r, [{ a: 1, b: 'x' }, [1, 'two', true], { nested: { deep: 'é"\\' } }]);
    default:
      return Math.floor(r() * 20) - 5;
  }
}

function randomRef(r: () => number): ObjectRef {
  const kind = pick(r, KINDS);
  const ref: ObjectRef = { kind, via: pick(r, ['field', 'message', 'path'] as const) };
  if (kind !== 'Node' && r() < 0.8) ref.namespace = pick(r, NAMESPACES);
  if (r() < 0.9) ref.name = pick(r, NAMES);
  if (r() < 0.4) ref.uid = pick(r, UIDS);
  if (r() < 0.5) ref.key = 'pod';
  return ref;
}

/** `n` random events, in time order (some times equal), spread over FILES. */
export function randomEvents(r: () => number, n: number): KEvent[] {
  const out: KEvent[] = [];
  let time = T0;
  for (let seq = 1; seq <= n; seq++) {
    if (r() < 0.7) time += Math.floor(r() * 120_000_000);
    const words = Array.from({ length: 1 + Math.floor(r() * 4) }, () => pick(r, WORDS));
    const message = words.join(' ');
    const fields: Record<string, unknown> = {};
    for (const name of FIELD_NAMES) if (r() < 0.35) fields[name] = randomFieldValue(r, name);
    const objects = Array.from({ length: Math.floor(r() * 3) }, () => randomRef(r));
    const e: KEvent = {
      seq,
      time,
      component: pick(r, COMPONENTS),
      severity: pick(r, SEVERITIES),
      message,
      fields,
      objects,
      source: { file: pick(r, FILES), line: seq, endLine: seq, format: 'none/klog' },
      raw: r() < 0.5 ? `I0321 ${message} key=${pick(r, WORDS)}` : message,
      format: pick(r, FORMATS),
    };
    if (r() < 0.8) e.host = pick(r, HOSTS);
    if (r() < 0.5) e.verbosity = Math.floor(r() * 6);
    if (r() < 0.5) e.caller = pick(r, ['kubelet.go:123', 'server.go:9', 'pod_workers.go:1']);
    out.push(e);
  }
  return out;
}
