/**
 * CoreDNS: the log plugin's query lines, the errors plugin, other plugins' `[LEVEL] plugin/x:` lines
 * and the start-up banner (`.:53`, `CoreDNS-1.11.1`, `linux/amd64, go1.20, ae2bbc2`, `maxprocs: ...`).
 *
 * Current CoreDNS writes no time of its own. Old releases did: the query log's Apache-style
 * `[07/Sep/2018:15:29:11 +0000]` after the dash (and no `[INFO]`), and around 2019 a leading
 * RFC3339 time before `[INFO]`, or Go's `2017/02/06 21:17:17` before plugin lines; those give the
 * event its time.
 */
import type { ObjectRef, Severity } from '../../src/model/event.js';
import { monthFromName, parseRfc3339 } from '../../src/util/time.js';
import type { PayloadParser, PayloadSample, PayloadResult } from '../types.js';
import { goDurationMs } from './go-duration.js';

// This format's name, added to the model's PayloadFormat (src/model/event.ts, ParsedFormats).
declare module '../../src/model/event.js' {
  interface ParsedFormats {
    coredns: true;
  }
}

/** `[INFO] `, `[WARNING] `...: the clog prefix's words and their severities. */
const LEVELS: readonly (readonly [string, Severity])[] = [
  ['INFO', 'info'],
  ['WARNING', 'warn'],
  ['ERROR', 'error'],
  ['DEBUG', 'debug'],
  ['FATAL', 'fatal'],
  ['PANIC', 'fatal'],
];

/** The clog prefix at the text's start (`[INFO] `): its entry in LEVELS, or undefined. No match array per line. */
function levelPrefix(text: string): readonly [string, Severity] | undefined {
  if (text.charCodeAt(0) !== 91 /* [ */) return undefined;
  for (const level of LEVELS) {
    const word = level[0];
    if (text.startsWith(word, 1) && text.charCodeAt(word.length + 1) === 93 /* ] */ && text.charCodeAt(word.length + 2) === 32) return level;
  }
  return undefined;
}
/** Leading times of older releases: RFC3339 (2019), Go's log package (2017-2018). */
const RFC3339_PREFIX = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:?\d\d)) /;
const GOLOG_PREFIX = /^(\d{4})\/(\d\d)\/(\d\d) (\d\d:\d\d:\d\d) /;

/**
 * `{remote}:{port} - {>id} "{type} {class} {name} {proto} {size} {>do} {>bufsize}" {rcode} {>rflags} {rsize} {duration}`,
 * with `[{when}] ` after the dash in 2018, and neither port, id nor flags in 2017.
 * A regex, not an index scan: measured, irregexp's match (array included) took half the CPU of
 * a hand-written scan of the same rules.
 */
const QUERY =
  /^(\S+) - (?:\[([^\]]{1,40})\] )?(?:(\d{1,5}) )?"(\S+) (\S+) (\S+) (\S+) (\d+) (\S+) (\d+)" (\S+)(?: ([a-z,]*|-))? (\d+|-) (\S+)$/;
const ERRORS_PLUGIN = /^plugin\/errors: (\d+) (\S+) (\S+): ([^]*)$/;
const PLUGIN = /^plugin\/([\w-]{1,40}): /;
const SERVER_BLOCK = /^(?:([a-z]{2,8}):\/\/)?([\w.*-]*\.|\.)?:(\d{1,5})$/;
const VERSION = /^CoreDNS-(\S+)$/;
const PLATFORM = /^([a-z0-9]+)\/([a-z0-9_]+), (go\S+), ?(\S*)$/;
const APACHE_TIME = /^(\d\d)\/([A-Za-z]{3})\/(\d{4}):(\d\d):(\d\d):(\d\d) ([+-]\d{4})$/;

const RCODES: Record<string, string> = {
  '0': 'NOERROR',
  '1': 'FORMERR',
  '2': 'SERVFAIL',
  '3': 'NXDOMAIN',
  '4': 'NOTIMP',
  '5': 'REFUSED',
};

/** etcd prints this CoreDNS-looking warning; the capnslog parser owns it. */
const ETCD_WARNING = "[WARNING] Deprecated '--logger=";

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

const NO_TIME_PREFIX: { rest?: undefined; time?: undefined; hasZone?: undefined } = {};

/**
 * Strips an old release's leading time; returns the rest and the time, or (most lines: current
 * CoreDNS writes none) an empty answer, one shared object rather than one per line.
 */
function stripTimePrefix(text: string): { rest: string; time: number; hasZone: boolean } | typeof NO_TIME_PREFIX {
  const c = text.charCodeAt(0);
  if (!isDigit(c) || text.length < 20) return NO_TIME_PREFIX;
  if (text.charCodeAt(4) === 45 /* - */) {
    const m = RFC3339_PREFIX.exec(text);
    if (m) {
      const t = parseRfc3339(m[1]!);
      if (t) return { rest: text.slice(m[0].length), time: t.micros, hasZone: t.hasZone };
    }
  } else if (text.charCodeAt(4) === 47 /* / */) {
    const m = GOLOG_PREFIX.exec(text);
    if (m) {
      const t = parseRfc3339(`${m[1]}-${m[2]}-${m[3]} ${m[4]}`);
      if (t) return { rest: text.slice(m[0].length), time: t.micros, hasZone: false };
    }
  }
  return NO_TIME_PREFIX;
}

function looksLikeQuery(text: string): boolean {
  // An address, then " - ": cheap enough to test before the full pattern.
  const c = text.charCodeAt(0);
  if (!isDigit(c) && c !== 91 /* [ */ && !(c >= 97 && c <= 102)) return false;
  const dash = text.indexOf(' - ');
  return dash > 0 && dash < 60 && text.includes('" ');
}

function matchesBody(text: string): boolean {
  const c = text.charCodeAt(0);
  if (c === 91 /* [ */ && levelPrefix(text)) return !text.startsWith(ETCD_WARNING);
  if (c === 46 /* . */ || text.includes('.:') || text.startsWith('dns://')) {
    if (SERVER_BLOCK.test(text)) return true;
  }
  if (c === 67 /* C */) return VERSION.test(text);
  if (c === 109 /* m */) return text.startsWith('maxprocs: ');
  if (looksLikeQuery(text)) return QUERY.test(text);
  if (text.includes(', go')) return PLATFORM.test(text);
  return false;
}

function matches(text: string): boolean {
  if (text.length === 0 || text.length > 65536) return false;
  if (matchesBody(text)) return true;
  const { rest } = stripTimePrefix(text);
  return rest !== undefined && matchesBody(rest);
}

function apacheTime(when: string): { time: number; hasZone: true } | undefined {
  const m = APACHE_TIME.exec(when);
  if (!m) return undefined;
  const month = monthFromName(m[2]!);
  if (!month) return undefined;
  const mm = String(month).padStart(2, '0');
  const t = parseRfc3339(`${m[3]}-${mm}-${m[1]}T${m[4]}:${m[5]}:${m[6]}${m[7]}`);
  return t ? { time: t.micros, hasZone: true } : undefined;
}

/** `ip:port`, `[v6]:port`, or (2017) a bare address. */
function splitRemote(remote: string): { client: string; port?: number } {
  if (remote.startsWith('[')) {
    const end = remote.indexOf(']');
    if (end > 0) {
      const port = Number(remote.slice(end + 2));
      return remote.charCodeAt(end + 1) === 58 && Number.isInteger(port) ? { client: remote.slice(1, end), port } : { client: remote.slice(1, end) };
    }
  }
  const colon = remote.lastIndexOf(':');
  // One colon: IPv4:port. Several: a bare IPv6 address (no port in the 2017 form).
  if (colon > 0 && remote.indexOf(':') === colon) {
    const port = Number(remote.slice(colon + 1));
    if (Number.isInteger(port)) return { client: remote.slice(0, colon), port };
  }
  return { client: remote };
}

/** Where each label of the name in hand starts (label k ends one before label k + 1 starts). */
const labelStarts = new Int32Array(66);

/** Is label `k` of `name` (bounds in labelStarts) exactly `word`? */
function labelIs(name: string, k: number, word: string): boolean {
  const from = labelStarts[k]!;
  return labelStarts[k + 1]! - 1 - from === word.length && name.startsWith(word, from);
}

function label(name: string, k: number): string {
  return name.slice(labelStarts[k], labelStarts[k + 1]! - 1);
}

/**
 * What a query name points at: a Service (`svc.ns.svc.<domain>.`) or a pod IP (`1-2-3-4.ns.pod.<domain>.`).
 * The labels are found by their dots, not split into an array: most query names hold ".svc."
 * (the search path), and only a few of their labels are ever read.
 */
export function dnsNameFacts(
  qname: string,
  rcode: string | undefined,
  fields: Record<string, unknown>,
  objects: ObjectRef[],
): void {
  const lower = qname.toLowerCase();
  // Only a "svc" or "pod" label with labels on both sides says anything, and then the name holds
  // ".svc." or ".pod.": most names (an outside host under the search path) are let go as they are.
  if (!lower.includes('.svc.') && !lower.includes('.pod.')) return;
  let count = 1;
  labelStarts[0] = 0;
  for (let dot = lower.indexOf('.'); dot >= 0; dot = lower.indexOf('.', dot + 1)) {
    if (count === 64) return; // more than 64 labels
    labelStarts[count++] = dot + 1;
  }
  labelStarts[count] = lower.length + 1;
  let first = 0;
  while (first < count && lower.charCodeAt(labelStarts[first]!) === 95 /* _ */ && labelStarts[first + 1]! - 1 > labelStarts[first]!) first++; // SRV: _port._proto.
  // The first "svc"/"pod" label after at least two others and before the cluster domain; a
  // search-path repeat (web.default.svc.cluster.local.default.svc.cluster.local.) comes later.
  for (let i = first + 2; i < count - 2; i++) {
    const svc = labelIs(lower, i, 'svc');
    if (!svc && !labelIs(lower, i, 'pod')) continue;
    if (i > first + 3) return;
    if (svc) {
      // name.ns.svc.<domain>, or host.name.ns.svc.<domain> (a headless service's pod). The second
      // shape is also what a search path makes of "name.ns" (kube-dns.kube-system.default.svc...):
      // trust it only when the name exists.
      if (i === first + 3 && rcode !== 'NOERROR') return;
      // NXDOMAIN is the server saying no such Service exists (a misspelt name): the line is about
      // the pod that asked, not about an object of that name (the evaluation counted such links
      // as false: dns-failure's link precision was 98.9%).
      if (rcode === 'NXDOMAIN') return;
      const ns = label(lower, i - 1);
      const name = label(lower, i - 2);
      if (ns && name) objects.push({ kind: 'Service', namespace: ns, name, via: 'dns', key: 'qname' });
    } else if (i === first + 2) {
      const ip = podIpFromLabel(label(lower, first));
      if (ip) fields['podIP'] = ip;
    }
    return;
  }
}

function podIpFromLabel(label: string): string | undefined {
  if (/^\d{1,3}-\d{1,3}-\d{1,3}-\d{1,3}$/.test(label)) return label.replace(/-/g, '.');
  if (/^[0-9a-f-]{2,39}$/.test(label) && label.includes('-')) return label.replace(/-/g, ':');
  return undefined;
}

function parseQuery(body: string, result: PayloadResult): boolean {
  const m = QUERY.exec(body);
  if (!m) return false;
  const f = result.fields;
  const { client, port } = splitRemote(m[1]!);
  f['client'] = client;
  if (port !== undefined) f['port'] = port;
  if (m[3] !== undefined) f['id'] = Number(m[3]);
  f['qtype'] = m[4]!;
  f['qclass'] = m[5]!;
  f['qname'] = m[6]!;
  f['proto'] = m[7]!;
  f['size'] = Number(m[8]);
  f['do'] = m[9] === 'true';
  f['bufsize'] = Number(m[10]);
  f['rcode'] = m[11]!;
  if (m[12] !== undefined) f['flags'] = m[12];
  if (m[13] !== '-') f['rsize'] = Number(m[13]);
  const ms = goDurationMs(m[14]!);
  if (ms !== undefined) f['durationMs'] = ms;
  if (m[2] !== undefined) {
    const t = apacheTime(m[2]);
    if (t) {
      result.time = t.time;
      result.hasZone = t.hasZone;
    }
  }
  if (m[11] === 'SERVFAIL' || m[11] === 'REFUSED') result.severity = 'warn';
  dnsNameFacts(m[6]!, m[11]!, f, result.objects);
  return true;
}

function parse(lines: readonly string[]): PayloadResult {
  const text = lines[0] ?? '';
  const result: PayloadResult = { format: 'coredns', severity: 'info', message: text, fields: {}, objects: [], component: 'coredns' };
  // A leading time can only be an old release's (no CoreDNS line of its own starts with a date).
  const stripped = stripTimePrefix(text);
  let body = stripped.rest ?? text;
  if (stripped.rest !== undefined) {
    result.time = stripped.time;
    result.hasZone = stripped.hasZone;
  }
  const f = result.fields;
  const level = levelPrefix(body);
  if (level) {
    result.severity = level[1];
    body = body.slice(level[0].length + 3);
  }
  result.message = body;
  if (parseQuery(body, result)) return withMore(result, lines);
  const errors = ERRORS_PLUGIN.exec(body);
  if (errors) {
    f['plugin'] = 'errors';
    f['rcode'] = RCODES[errors[1]!] ?? errors[1]!;
    f['qname'] = errors[2]!;
    f['qtype'] = errors[3]!;
    f['error'] = errors[4]!;
    dnsNameFacts(errors[2]!, f['rcode'] as string, f, result.objects);
    return withMore(result, lines);
  }
  const plugin = PLUGIN.exec(body);
  if (plugin) {
    f['plugin'] = plugin[1]!;
    return withMore(result, lines);
  }
  let m = SERVER_BLOCK.exec(body);
  if (m) {
    if (m[1] !== undefined) f['scheme'] = m[1];
    f['zone'] = m[2] ?? '.';
    f['port'] = Number(m[3]);
    return withMore(result, lines);
  }
  if ((m = VERSION.exec(body))) {
    f['version'] = m[1]!;
  } else if ((m = PLATFORM.exec(body))) {
    f['os'] = m[1]!;
    f['arch'] = m[2]!;
    f['goVersion'] = m[3]!;
    if (m[4]) f['commit'] = m[4];
  }
  return withMore(result, lines);
}

function withMore(result: PayloadResult, lines: readonly string[]): PayloadResult {
  if (lines.length > 1) result.fields['more'] = lines.slice(1).join('\n');
  return result;
}

/** Real lines of this format and their expected parse (parsers/types.ts, PayloadSample). */
const SAMPLES: readonly PayloadSample[] = [
  {
    from: "minikube-logs/minikube_logs.txt (coredns section)",
    text: "[INFO] 127.0.0.1:40849 - 14254 \"HINFO IN 3687553492369998053.6036854683822453967. udp 57 false 512\" NXDOMAIN qr,rd,ra 132 0.003709758s",
    expect: {severity:"info",message:"127.0.0.1:40849 - 14254 \"HINFO IN 3687553492369998053.6036854683822453967. udp 57 false 512\" NXDOMAIN qr,rd,ra 132 0.003709758s",fields:{client:"127.0.0.1",qtype:"HINFO",qname:"3687553492369998053.6036854683822453967.",rcode:"NXDOMAIN",durationMs:3.709758},component:"coredns"},
  },
  {
    from: "minikube-logs/minikube_logs.txt (coredns section)",
    text: "[ERROR] plugin/kubernetes: Unhandled Error",
    expect: {severity:"error",message:"plugin/kubernetes: Unhandled Error",fields:{plugin:"kubernetes"},component:"coredns"},
  },
];

export const corednsParser: PayloadParser = {
  format: 'coredns',
  samples: SAMPLES,
  matches,
  parse: (lines) => parse(lines),
};
