/**
 * etcd's zap JSON logger (3.5, and 3.4 with --logger=zap):
 * `{"level":"info","ts":"2025-03-21T14:51:23.344605Z","logger":"raft","caller":"etcdserver/zap_raft.go:77","msg":"..."}`.
 * `ts` is RFC3339 with varying precision or offset, or (3.4 with an epoch encoder) float seconds.
 * Every key other than level/ts/caller/msg goes into fields untouched; the message's raft, slow
 * request and /registry/ facts are added beside them (etcd-common.ts).
 */
import type { ObjectRef, Severity } from '../../src/model/event.js';
import { parseRfc3339 } from '../../src/util/time.js';
import type { PayloadParser, PayloadSample, PayloadResult } from '../types.js';
import { addRegistryRefs, enrichEtcdMessage, etcdParser } from './etcd-common.js';
import { parseJsonRecord } from '../../src/util/json.js';

// This format's name, added to the model's PayloadFormat (src/model/event.ts, ParsedFormats).
declare module '../../src/model/event.js' {
  interface ParsedFormats {
    'etcd-zap': true;
  }
}

const LEVELS: Record<string, Severity> = {
  debug: 'debug',
  info: 'info',
  warn: 'warn',
  error: 'error',
  dpanic: 'error', // a development panic: in production zap logs it and carries on
  panic: 'fatal',
  fatal: 'fatal',
};

const LEVEL_PREFIX = '{"level":"';
const RESERVED = new Set(['level', 'ts', 'caller', 'msg']);

function levelAt(text: string, start: number): Severity | undefined {
  const end = text.indexOf('"', start);
  if (end < 0 || end - start > 6) return undefined;
  return LEVELS[text.slice(start, end)];
}

/**
 * zap writes `level` first, so the usual test is a prefix. Re-serialized lines (sorted keys) are
 * accepted when they have a zap level, `ts` and `msg`; klog JSON (no level) and audit events
 * (levels Metadata/Request..., an auditID) never pass.
 */
function matches(text: string): boolean {
  if (text.charCodeAt(0) !== 123 /* { */) return false;
  if (text.startsWith(LEVEL_PREFIX)) {
    return levelAt(text, LEVEL_PREFIX.length) !== undefined && text.includes('"ts":') && text.includes('"msg":');
  }
  const i = text.indexOf('"level":"');
  if (i < 0 || levelAt(text, i + 9) === undefined) return false;
  return text.includes('"ts":') && text.includes('"msg":') && !text.includes('"auditID"');
}

function timeOf(ts: unknown): { time?: number; hasZone?: boolean } {
  if (typeof ts === 'string') {
    const t = parseRfc3339(ts);
    return t ? { time: t.micros, hasZone: t.hasZone } : {};
  }
  if (typeof ts === 'number' && Number.isFinite(ts) && ts > 0) {
    // Epoch seconds as zap's default epoch encoder writes them; milliseconds if implausibly big.
    return { time: Math.round(ts > 1e11 ? ts * 1000 : ts * 1e6), hasZone: true };
  }
  return {};
}

const JSON_STRING = '"((?:[^"\\\\]|\\\\.)*)"';
const FALLBACK = {
  level: /"level":"(\w{1,8})"/,
  ts: /"ts":("[^"]{1,40}"|[\d.e+]{1,30})/,
  caller: new RegExp(`"caller":${JSON_STRING}`),
  msg: new RegExp(`"msg":${JSON_STRING}`),
};

function unquote(body: string): string {
  try {
    return JSON.parse(`"${body}"`) as string;
  } catch {
    return body;
  }
}

/** A line that starts like zap but is not valid JSON (cut by the framing limit, say): salvage the head. */
function salvage(text: string): PayloadResult {
  const level = FALLBACK.level.exec(text)?.[1];
  const tsText = FALLBACK.ts.exec(text)?.[1];
  const caller = FALLBACK.caller.exec(text)?.[1];
  const msg = FALLBACK.msg.exec(text)?.[1];
  const result: PayloadResult = {
    format: 'etcd-zap',
    severity: (level && LEVELS[level]) || 'info',
    message: msg !== undefined ? unquote(msg) : text,
    fields: { malformed: true },
    objects: [],
    component: 'etcd',
  };
  if (tsText !== undefined) {
    const t = timeOf(tsText.startsWith('"') ? tsText.slice(1, -1) : Number(tsText));
    if (t.time !== undefined) {
      result.time = t.time;
      result.hasZone = t.hasZone;
    }
  }
  if (caller !== undefined) result.caller = unquote(caller);
  if (msg !== undefined) enrichEtcdMessage(result.message, result.fields, result.objects, false);
  return result;
}

function parse(lines: readonly string[]): PayloadResult {
  const text = lines[0] ?? '';
  const rec = parseJsonRecord(text);
  if (!rec) return withStack(salvage(text), lines);

  const fields: Record<string, unknown> = {};
  for (const key of Object.keys(rec)) if (!RESERVED.has(key)) fields[key] = rec[key];
  const message = typeof rec['msg'] === 'string' ? rec['msg'] : '';
  const objects: ObjectRef[] = [];
  const result: PayloadResult = {
    format: 'etcd-zap',
    severity: (typeof rec['level'] === 'string' && LEVELS[rec['level']]) || 'info',
    message,
    fields,
    objects,
    component: 'etcd',
  };
  const t = timeOf(rec['ts']);
  if (t.time !== undefined) {
    result.time = t.time;
    result.hasZone = t.hasZone;
  }
  if (typeof rec['caller'] === 'string') result.caller = rec['caller'];

  enrichEtcdMessage(message, fields, objects, true);
  // Keys named by structured values (request, detail, key, range_begin...).
  for (const key of Object.keys(rec)) {
    const v = rec[key];
    if (typeof v === 'string' && !RESERVED.has(key) && v.includes('/registry/')) addRegistryRefs(v, key, objects);
  }
  return withStack(result, lines);
}

function withStack(result: PayloadResult, lines: readonly string[]): PayloadResult {
  if (lines.length > 1) result.fields['stack'] = lines.slice(1).join('\n');
  return result;
}

function isCrash(header: string): boolean {
  return header.includes('"level":"panic"') || header.includes('"level":"fatal"') || header.includes('"level":"dpanic"');
}

/** Real lines of this format and their expected parse (parsers/types.ts, PayloadSample). */
const SAMPLES: readonly PayloadSample[] = [
  {
    from: "minikube-logs/minikube_logs.txt",
    text: "{\"level\":\"info\",\"ts\":\"2025-08-11T09:58:38.013096Z\",\"caller\":\"etcdmain/etcd.go:116\",\"msg\":\"server has been already initialized\",\"data-dir\":\"/var/lib/minikube/etcd\",\"dir-type\":\"member\"}",
    expect: {severity:"info",message:"server has been already initialized",fields:{"data-dir":"/var/lib/minikube/etcd","dir-type":"member"},component:"etcd"},
  },
  {
    from: "minikube-logs/minikube_logs.txt",
    text: "{\"level\":\"warn\",\"ts\":\"2025-08-11T09:58:38.013161Z\",\"caller\":\"embed/config.go:689\",\"msg\":\"Running http and grpc server on single port. This is not recommended for production.\"}",
    expect: {severity:"warn",message:"Running http and grpc server on single port. This is not recommended for production.",component:"etcd"},
  },
];

// A panic or fatal line is followed by Go's stack dump, which has no JSON of its own.
export const etcdZapParser: PayloadParser = etcdParser('etcd-zap', SAMPLES, { matches, isCrash, parse });
