/**
 * logfmt, as logrus and go-kit write it: `time="2025-03-21T14:51:17.464266574Z" level=info msg="starting containerd" revision=... version=v2.0.2`
 * (containerd, dockerd, docker compose). The writer is not a cluster component, so no component is
 * claimed: the envelope (journald identifier, file name) decides. containerd names the pods it
 * starts (`&PodSandboxMetadata{Name:x,Uid:y,Namespace:z,...}`): those become Pod references.
 */
import type { ObjectRef, Severity } from '../../src/model/event.js';
import { parseRfc3339 } from '../../src/util/time.js';
import type { PayloadParser, PayloadSample, PayloadResult } from '../types.js';

// This format's name, added to the model's PayloadFormat (src/model/event.ts, ParsedFormats).
declare module '../../src/model/event.js' {
  interface ParsedFormats {
    logfmt: true; // time="..." level=... msg="..." (containerd, docker compose, kindnet's go-logr)
  }
}

const LEVELS: Record<string, Severity> = {
  trace: 'debug',
  debug: 'debug',
  info: 'info',
  warning: 'warn',
  warn: 'warn',
  error: 'error',
  fatal: 'fatal',
  panic: 'fatal',
};

/** The keys that open a logfmt line, in the writers we know. */
const OPENERS = ['time=', 'ts=', 'level=', 'lvl=', 't='];
const TIME_KEYS = ['time', 'ts', 't'];
const LEVEL_KEYS = ['level', 'lvl'];

function matches(text: string): boolean {
  const c = text.charCodeAt(0);
  if (c !== 116 /* t */ && c !== 108 /* l */) return false;
  if (!OPENERS.some((o) => text.startsWith(o))) return false;
  // A lone "time=..." is not enough: logfmt lines carry a level or a message too.
  return text.includes(' level=') || text.includes(' msg=') || text.startsWith('level=') || text.includes(' lvl=');
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\' };

/**
 * Splits `k=v k2="quoted \"v\"" flag` into pairs, in one pass. Go-quoted values are unescaped
 * (\" \\ \n \t \r, \uXXXX); a bare key without `=` gets the value true; the last repeat wins.
 */
export function parseLogfmt(text: string): Map<string, string | true> {
  const out = new Map<string, string | true>();
  const n = text.length;
  let i = 0;
  while (i < n) {
    while (i < n && text.charCodeAt(i) === 32) i++;
    if (i >= n) break;
    const keyStart = i;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 61 /* = */ || c === 32 || c === 34) break;
      i++;
    }
    const key = text.slice(keyStart, i);
    if (i >= n || text.charCodeAt(i) !== 61) {
      if (key) out.set(key, true);
      if (i < n && text.charCodeAt(i) === 34) i++; // a stray quote: skip it
      continue;
    }
    i++; // '='
    if (i < n && text.charCodeAt(i) === 34 /* " */) {
      i++;
      let value = '';
      let chunk = i;
      while (i < n) {
        const c = text.charCodeAt(i);
        if (c === 34) break;
        if (c === 92 /* \ */ && i + 1 < n) {
          value += text.slice(chunk, i);
          const e = text[i + 1]!;
          if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
            value += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
            i += 6;
          } else {
            value += ESCAPES[e] ?? e;
            i += 2;
          }
          chunk = i;
          continue;
        }
        i++;
      }
      value += text.slice(chunk, i);
      i++; // closing quote (or past the end of a cut line)
      if (key) out.set(key, value);
    } else {
      const start = i;
      while (i < n && text.charCodeAt(i) !== 32) i++;
      if (key) out.set(key, text.slice(start, i));
    }
  }
  return out;
}

const SANDBOX = /&PodSandboxMetadata\{Name:([^,{}]{1,253}),Uid:([^,{}]{0,64}),Namespace:([^,{}]{1,63}),/;

function podRefs(message: string): ObjectRef[] {
  if (!message.includes('&PodSandboxMetadata{')) return [];
  const m = SANDBOX.exec(message);
  if (!m) return [];
  return [{ kind: 'Pod', namespace: m[3]!, name: m[1]!, ...(m[2] ? { uid: m[2] } : {}), via: 'message', key: 'PodSandboxMetadata' }];
}

function parse(lines: readonly string[]): PayloadResult {
  const text = lines[0] ?? '';
  const pairs = parseLogfmt(text);
  const result: PayloadResult = { format: 'logfmt', severity: 'info', message: '', fields: {}, objects: [] };
  let timeKey: string | undefined;
  for (const k of TIME_KEYS) {
    const v = pairs.get(k);
    const t = typeof v === 'string' ? parseRfc3339(v) : undefined;
    if (t) {
      result.time = t.micros;
      result.hasZone = t.hasZone;
      timeKey = k;
      break;
    }
  }
  let levelKey: string | undefined;
  for (const k of LEVEL_KEYS) {
    const v = pairs.get(k);
    if (typeof v === 'string') {
      result.severity = LEVELS[v.toLowerCase()] ?? 'info';
      levelKey = k;
      break;
    }
  }
  const msg = pairs.get('msg');
  result.message = typeof msg === 'string' ? msg : text;
  for (const [k, v] of pairs) {
    if (k !== timeKey && k !== levelKey && k !== 'msg') result.fields[k] = v;
  }
  if (lines.length > 1) result.fields['more'] = lines.slice(1).join('\n');
  result.objects = podRefs(result.message);
  return result;
}

/** Real lines of this format and their expected parse (parsers/types.ts, PayloadSample). */
const SAMPLES: readonly PayloadSample[] = [
  {
    from: "minikube-logs/minikube_logs.txt (dockerd)",
    text: "time=\"2025-08-11T10:04:28.998087245Z\" level=info msg=\"Loading containers: start.\"",
    expect: {severity:"info",message:"Loading containers: start."},
  },
  {
    from: "kind-1.32-bundle/kind-control-plane/containerd.log (journald envelope removed)",
    text: "time=\"2025-03-21T14:51:17.472119642Z\" level=warning msg=\"Configuration migrated from version 2, use `containerd config migrate` to avoid migration\" t=\"331.678µs\"",
    expect: {severity:"warn",message:"Configuration migrated from version 2, use `containerd config migrate` to avoid migration",fields:{t:"331.678µs"}},
  },
];

export const logfmtParser: PayloadParser = {
  format: 'logfmt',
  samples: SAMPLES,
  sharedByWriters: true,
  matches,
  parse: (lines) => parse(lines),
};
