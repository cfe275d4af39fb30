/**
 * What etcd's messages say, whichever logger wrote them (zap JSON or capnslog text): raft
 * leadership facts, slow requests, traces, and the Kubernetes objects named by /registry/ keys.
 * Both etcd parsers call `enrichEtcdMessage` on the message text; the zap parser also passes its
 * structured keys, which carry the same facts in another shape.
 */
import { isClusterScopedKind } from './k8s-kinds.js';
import { goDurationMs } from './go-duration.js';
import type { ObjectRef, PayloadFormat } from '../../src/model/event.js';
import type { PayloadParser, PayloadResult, PayloadSample } from '../types.js';
import { kindFromResource } from './k8s-kinds.js';

type Fields = Record<string, unknown>;

/** Set a derived field only when the writer did not already log a key of that name: theirs wins. */
function put(fields: Fields, key: string, value: unknown): void {
  if (!(key in fields)) fields[key] = value;
}

// ---------------------------------------------------------------------------------------------
// Raft: leadership and elections. Member IDs are hex, terms decimal. Every pattern is anchored
// and built from delimited tokens, so none can backtrack badly.

const ID = '([0-9a-f]{1,16})';
const TERM = '(\\d{1,20})';

interface RaftPattern {
  re: RegExp;
  apply(m: RegExpExecArray, f: Fields): void;
}

const RAFT_NODE_PATTERNS: RaftPattern[] = [
  {
    re: new RegExp(`^raft\\.node: ${ID} elected leader ${ID} at term ${TERM}$`),
    apply: (m, f) => raft(f, 'elected-leader', m[1]!, m[3]!, { leader: m[2]! }),
  },
  {
    re: new RegExp(`^raft\\.node: ${ID} lost leader ${ID} at term ${TERM}$`),
    apply: (m, f) => raft(f, 'lost-leader', m[1]!, m[3]!, { leader: m[2]! }),
  },
  {
    re: new RegExp(`^raft\\.node: ${ID} changed leader from ${ID} to ${ID} at term ${TERM}$`),
    apply: (m, f) => raft(f, 'changed-leader', m[1]!, m[4]!, { from: m[2]!, to: m[3]!, leader: m[3]! }),
  },
];

const RAFT_PATTERNS: RaftPattern[] = [
  {
    re: new RegExp(`^${ID} became (leader|candidate|follower|pre-candidate) at term ${TERM}$`),
    apply: (m, f) => raft(f, `became-${m[2]!}`, m[1]!, m[3]!, m[2] === 'leader' ? { leader: m[1]! } : {}),
  },
  {
    re: new RegExp(`^${ID} is starting a new election at term ${TERM}$`),
    apply: (m, f) => raft(f, 'starting-election', m[1]!, m[2]!, {}),
  },
  {
    re: new RegExp(`^${ID} received (MsgVoteResp|MsgPreVoteResp)( rejection)? from ${ID} at term ${TERM}$`),
    apply: (m, f) => {
      const kind = m[2] === 'MsgVoteResp' ? 'vote' : 'prevote';
      raft(f, m[3] ? `${kind}-rejection` : `${kind}-response`, m[1]!, m[5]!, { from: m[4]! });
    },
  },
  {
    // "X [logterm: 1, index: 3, vote: 0] cast MsgVote for Y [logterm: 1, index: 3] at term 2"
    re: new RegExp(
      `^${ID} \\[logterm: \\d+, index: \\d+, vote: [0-9a-f]+\\] (cast|rejected) (MsgVote|MsgPreVote) (?:for|from) ${ID} \\[logterm: \\d+, index: \\d+\\] at term ${TERM}$`,
    ),
    apply: (m, f) => {
      const kind = m[3] === 'MsgVote' ? 'vote' : 'prevote';
      const cast = m[2] === 'cast';
      raft(f, cast ? `cast-${kind}` : `rejected-${kind}`, m[1]!, m[5]!, cast ? { to: m[4]! } : { from: m[4]! });
    },
  },
  {
    re: new RegExp(
      `^${ID} \\[logterm: \\d+, index: \\d+\\] sent (MsgVote|MsgPreVote) request to ${ID} at term ${TERM}$`,
    ),
    apply: (m, f) => raft(f, m[2] === 'MsgVote' ? 'sent-vote-request' : 'sent-prevote-request', m[1]!, m[4]!, { to: m[3]! }),
  },
  {
    // "X [term: 1] received a MsgVote message with higher term from Y [term: 2]": the new term.
    re: new RegExp(`^${ID} \\[term: \\d+\\] received a (\\w+) message with higher term from ${ID} \\[term: ${TERM}\\]$`),
    apply: (m, f) => raft(f, 'higher-term', m[1]!, m[4]!, { from: m[3]!, raftMessage: m[2]! }),
  },
  {
    re: new RegExp(`^${ID} \\[term ${TERM}\\] starts to transfer leadership to ${ID}$`),
    apply: (m, f) => raft(f, 'transfer-leadership', m[1]!, m[2]!, { to: m[3]! }),
  },
  {
    re: new RegExp(`^newRaft ${ID} \\[peers: \\[[^\\]]*\\], term: ${TERM},`),
    apply: (m, f) => raft(f, 'new-raft', m[1]!, m[2]!, {}),
  },
];

function raft(f: Fields, kind: string, member: string, term: string, extra: Record<string, string>): void {
  put(f, 'raft', kind);
  put(f, 'member', member);
  put(f, 'term', Number(term));
  for (const [k, v] of Object.entries(extra)) put(f, k, v);
}

/** Adds `raft`, `member`, `term` and (by pattern) `leader`, `from`, `to` when the message is a raft fact. */
export function addRaftFacts(message: string, fields: Fields): boolean {
  let patterns: RaftPattern[];
  if (message.startsWith('raft.node: ')) patterns = RAFT_NODE_PATTERNS;
  else if (message.includes('term')) patterns = RAFT_PATTERNS;
  else return false;
  for (const p of patterns) {
    const m = p.re.exec(message);
    if (m) {
      p.apply(m, fields);
      return true;
    }
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Durations, slow requests, traces.


/**
 * The first `key:"..."` of a request as etcd prints it (a protobuf text form). In capnslog messages
 * the quotes are escaped (`key:\"/registry/...\"`), in zap fields they are not.
 */
export function requestKey(request: string): string | undefined {
  const i = request.indexOf('key:');
  if (i < 0) return undefined;
  let start = i + 4;
  if (request.charCodeAt(start) === 92 /* \ */) start++;
  if (request.charCodeAt(start) !== 34 /* " */) return undefined;
  start++;
  let end = start;
  while (end < request.length) {
    const c = request.charCodeAt(end);
    if (c === 34 || c === 92) break;
    end++;
  }
  return end > start ? request.slice(start, end) : undefined;
}

const CAPNSLOG_SLOW = /took too long \(([^()\s]{1,40})\) to execute$/;
const CAPNSLOG_APPLY_SLOW = /^apply entries took too long \[([^\s\]]{1,40}) for \d+ entries\]/;
const WAL_SYNC_SLOW = /^sync duration of ([^\s,]{1,40}), expected less than ([^\s,]{1,40})$/;
const TRACE = /^trace\[(\d{1,20})\] ([^\n]{1,200}?)(?: \(duration: ([^()\s]{1,40})\))?$/;
const TRACE_DETAIL_KEY = /(?:range_begin|key):(\/registry\/[^;\s}]*)/;

function markSlow(fields: Fields, tookMs: number | undefined): void {
  put(fields, 'slow', true);
  if (tookMs !== undefined) put(fields, 'tookMs', tookMs);
}

/** Slow requests and traces written in the message text (capnslog, and zap's trace message). */
function addSlowFacts(message: string, fields: Fields): void {
  if (message.startsWith('trace[')) {
    const m = TRACE.exec(message);
    if (m) {
      put(fields, 'trace', m[1]!);
      put(fields, 'traceOp', m[2]!);
      if (m[3] !== undefined) markSlow(fields, goDurationMs(m[3]));
    }
    return;
  }
  if (message.includes('took too long')) {
    const m = CAPNSLOG_SLOW.exec(message) ?? CAPNSLOG_APPLY_SLOW.exec(message);
    if (m) {
      markSlow(fields, goDurationMs(m[1]!));
      const key = requestKey(message);
      if (key !== undefined) put(fields, 'key', key);
    }
    return;
  }
  if (message.startsWith('sync duration of ')) {
    const m = WAL_SYNC_SLOW.exec(message);
    if (m) markSlow(fields, goDurationMs(m[1]!));
  }
}

/**
 * zap's structured slow-request and trace keys: `took` + `expected-duration` (+ `request`), and a
 * trace's `duration` + `detail`. etcd only logs a trace when it ran longer than its threshold,
 * so a trace is a slow request too.
 */
function addZapSlowFacts(message: string, fields: Fields): void {
  const took = fields['took'];
  if (typeof took === 'string' && (message.includes('took too long') || 'expected-duration' in fields)) {
    const ms = goDurationMs(took);
    if (ms !== undefined) {
      markSlow(fields, ms);
      const request = fields['request'];
      const key = typeof request === 'string' ? requestKey(request) : undefined;
      if (key !== undefined) put(fields, 'key', key);
    }
  }
  if ('trace' in fields) {
    const duration = fields['duration'];
    if (typeof duration === 'string') markSlow(fields, goDurationMs(duration));
    const detail = fields['detail'];
    if (typeof detail === 'string') {
      const m = TRACE_DETAIL_KEY.exec(detail);
      if (m) put(fields, 'key', m[1]!);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Objects named by etcd keys.

/*
 * Scope is what etcd keys and audit objectRefs do not say and the shared kind table
 * (k8s-kinds.ts) does not know: which kinds never have a namespace, and which always do.
 * A kind in neither set (a custom resource) is judged by the key's shape.
 */

const NAMESPACED_KINDS: ReadonlySet<string> = new Set([
  'Pod',
  'Service',
  'Endpoints',
  'EndpointSlice',
  'ConfigMap',
  'Secret',
  'ServiceAccount',
  'PersistentVolumeClaim',
  'Event',
  'LimitRange',
  'ResourceQuota',
  'PodTemplate',
  'ReplicationController',
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'ControllerRevision',
  'Job',
  'CronJob',
  'HorizontalPodAutoscaler',
  'Ingress',
  'NetworkPolicy',
  'PodDisruptionBudget',
  'Role',
  'RoleBinding',
  'Lease',
  'CSIStorageCapacity',
  'ResourceClaim',
  'ResourceClaimTemplate',
]);

/** Keys under /registry that hold apiserver bookkeeping, not objects. */
const NOT_OBJECTS: ReadonlySet<string> = new Set(['ranges', 'masterleases', 'health', 'peerserverleases', 'apiserverleases']);


/**
 * The object an etcd key names: `/registry/<resource>/<ns>/<name>`, `/registry/<resource>/<name>`
 * (cluster-scoped), `/registry/<group>/<resource>/...` (custom and aggregated resources),
 * `/registry/services/specs|endpoints/<ns>/<name>`, `/registry/minions/<node>`. Prefixes (a list,
 * a namespace's worth of keys) name no single object and give undefined.
 */
export function refFromRegistryKey(etcdKey: string, key: string): ObjectRef | undefined {
  if (!etcdKey.startsWith('/registry/')) return undefined;
  const parts = etcdKey.slice(10).split('/');
  let resource = parts[0]!;
  let rest = parts.slice(1);
  if (resource === 'services' && (rest[0] === 'specs' || rest[0] === 'endpoints')) {
    resource = rest[0] === 'specs' ? 'services' : 'endpoints';
    rest = rest.slice(1);
  } else if (resource.includes('.') && rest.length > 0) {
    // An API group (apiregistration.k8s.io, monitoring.coreos.com): the resource comes next.
    resource = rest[0]!;
    rest = rest.slice(1);
  }
  if (resource === '' || NOT_OBJECTS.has(resource)) return undefined;
  if (rest.some((p) => p === '')) return undefined; // a prefix ending in "/" (a list)
  const kind = kindFromResource(resource);
  if (kind === '') return undefined;
  if (rest.length === 1 && !NAMESPACED_KINDS.has(kind)) return { kind, name: rest[0]!, via: 'etcd-key', key };
  if (rest.length === 2 && !isClusterScopedKind(kind)) {
    return { kind, namespace: rest[0]!, name: rest[1]!, via: 'etcd-key', key };
  }
  return undefined;
}

/** Characters that end a key inside a message: quotes, escapes, separators of etcd's text forms. */
function isKeyEnd(c: number): boolean {
  return c <= 32 || c === 34 || c === 92 || c === 59 || c === 44 || c === 41 || c === 125 || c === 93 || c === 62;
}

/**
 * Every object named by a /registry/ key inside `text`, appended to `out` once each. A range's
 * `range_end` is skipped: it is an exclusive bound (`/registry/pods/default0`), not an object.
 */
export function addRegistryRefs(text: string, key: string, out: ObjectRef[]): void {
  let from = 0;
  for (let guard = 0; guard < 64; guard++) {
    const i = text.indexOf('/registry/', from);
    if (i < 0) return;
    let end = i + 10;
    while (end < text.length && !isKeyEnd(text.charCodeAt(end))) end++;
    from = end;
    const before = text.slice(Math.max(0, i - 12), i);
    if (before.includes('range_end:')) continue;
    const ref = refFromRegistryKey(text.slice(i, end), key);
    if (ref && !out.some((r) => sameRef(r, ref))) out.push(ref);
  }
}

function sameRef(a: ObjectRef, b: ObjectRef): boolean {
  return a.kind === b.kind && a.namespace === b.namespace && a.name === b.name;
}

// ---------------------------------------------------------------------------------------------

/**
 * All the facts in one etcd message: raft, slow requests, traces, objects. `fields` already holds
 * the writer's own keys (zap) and is added to; `objects` is appended to.
 */
export function enrichEtcdMessage(message: string, fields: Fields, objects: ObjectRef[], structured: boolean): void {
  if (!addRaftFacts(message, fields)) addSlowFacts(message, fields);
  if (structured) addZapSlowFacts(message, fields);
  if (message.includes('/registry/')) addRegistryRefs(message, 'message', objects);
}

/** Lines after a crash header (panic, fatal): the Go stack trace that follows a crash. */
const MAX_STACK_LINES = 2000;

/**
 * An etcd payload parser. Both of etcd's log forms (zap JSON, capnslog text) follow a crash line
 * with Go's stack dump, which has no header of its own: it folds into the crash event.
 */
export function etcdParser(
  format: PayloadFormat,
  samples: readonly PayloadSample[],
  own: { matches(text: string): boolean; isCrash(header: string): boolean; parse(lines: readonly string[]): PayloadResult },
): PayloadParser {
  return {
    format,
    samples,
    matches: own.matches,
    continues: (_text, pending) => pending.length < MAX_STACK_LINES && own.isCrash(pending[0] ?? ''),
    parse: (lines) => own.parse(lines),
  };
}

export { goDurationMs, isClusterScopedKind };
