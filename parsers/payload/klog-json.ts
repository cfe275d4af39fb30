/**
 * klog's JSON output (`--logging-format=json`, component-base/logs/json):
 * `{"ts":1678412345123.456,"caller":"kubelet/kubelet.go:2453","msg":"...","v":0,"pod":{"name":"x","namespace":"y"}}`.
 *
 * The encoder writes `ts` first, as a number: that is the whole `matches` test, and it is what
 * keeps etcd's zap JSON (`{"level":"info","ts":"2025-..."}`: level first, ts a string), audit
 * events (`{"kind":"Event",...}`) and anything else JSON out.
 *
 * Severity: the encoder has no level key. Info lines carry `v` (their verbosity, 0 included);
 * error lines carry `err` and no `v`. A `level` key, where some writer adds one, wins.
 */
import type { PayloadContext, PayloadParser, PayloadSample, PayloadResult } from '../types.js';
import type { Severity } from '../../src/model/event.js';
import { setField, type Fields } from './klog-values.js';
import { klogObjects } from './klog-objects.js';
import { componentFromCaller } from './klog-callers.js';
import { parseJsonRecord } from '../../src/util/json.js';

// This format's name, added to the model's PayloadFormat (src/model/event.ts, ParsedFormats).
declare module '../../src/model/event.js' {
  interface ParsedFormats {
    'klog-json': true;
  }
}

const START = /^\{\s*"ts"\s*:\s*-?\d/;

/**
 * `ts` is epoch milliseconds in current releases and seconds in some documentation: 1e11 ms is
 * March 1973 and 1e11 s is the year 5138, so the magnitude tells them apart.
 */
const MILLIS_THRESHOLD = 1e11;

const LEVELS: ReadonlyMap<string, Severity> = new Map([
  ['debug', 'debug'],
  ['info', 'info'],
  ['warn', 'warn'],
  ['warning', 'warn'],
  ['error', 'error'],
  ['dpanic', 'error'],
  ['panic', 'fatal'],
  ['fatal', 'fatal'],
]);

/** Keys the encoder itself writes; everything else is the call's key/value pairs. */
const OWN_KEYS: ReadonlySet<string> = new Set(['ts', 'caller', 'msg', 'v', 'level']);

function matches(text: string): boolean {
  return text.charCodeAt(0) === 123 /* { */ && START.test(text);
}

/** Epoch microseconds from `ts`, or undefined when it is not a usable number. */
export function tsToMicros(ts: unknown): number | undefined {
  if (typeof ts !== 'number' || !Number.isFinite(ts) || ts < 0) return undefined;
  return Math.round(ts >= MILLIS_THRESHOLD ? ts * 1000 : ts * 1_000_000);
}

function parse(lines: readonly string[], _ctx: PayloadContext): PayloadResult {
  const text = lines[0] ?? '';
  const obj = parseJsonRecord(text); // undefined for a cut line: not JSON any more
  if (!obj) return { format: 'klog-json', severity: 'info', message: text, fields: {}, objects: [] };

  const fields: Fields = {};
  for (const key of Object.keys(obj)) {
    if (!OWN_KEYS.has(key)) setField(fields, key, obj[key]);
  }
  const message = typeof obj['msg'] === 'string' ? obj['msg'] : '';
  const v = obj['v'];
  const level = typeof obj['level'] === 'string' ? LEVELS.get(obj['level'].toLowerCase()) : undefined;
  const severity: Severity = level ?? (typeof v === 'number' ? 'info' : 'error');

  const result: PayloadResult = {
    format: 'klog-json',
    severity,
    message,
    fields,
    objects: klogObjects(message, fields),
  };
  const time = tsToMicros(obj['ts']);
  if (time !== undefined) {
    result.time = time;
    result.hasZone = true; // an epoch number is absolute
  }
  if (typeof v === 'number' && Number.isInteger(v)) result.verbosity = v;
  if (typeof obj['caller'] === 'string') {
    result.caller = obj['caller'];
    const component = componentFromCaller(obj['caller']);
    if (component) result.component = component;
  }
  return result;
}

/** Real lines of this format and their expected parse (parsers/types.ts, PayloadSample). */
const SAMPLES: readonly PayloadSample[] = [
  {
    from: "no klog JSON in the corpus: kube-proxy's failure line as its JSON encoder writes it (the shape of test/parsers/payload/klog-json.test.ts)",
    text: "{\"ts\":1678412345.5,\"caller\":\"app/server.go:100\",\"msg\":\"Error running ProxyServer\",\"err\":\"open /var/run/secrets/token: no such file or directory\"}",
    expect: {severity:"error",message:"Error running ProxyServer",fields:{err:"open /var/run/secrets/token: no such file or directory"}},
  },
];

export const klogJsonParser: PayloadParser = {
  format: 'klog-json',
  samples: SAMPLES,
  matches,
  parse,
};
