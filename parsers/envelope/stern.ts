/**
 * stern's output (`stern -n kube-system . | ktrail`), in each of its --output forms:
 *
 * - default:   `POD CONTAINER MESSAGE`, with `NAMESPACE` first under `-A` or several `-n`;
 *              `--color always` wraps the names in SGR colours.
 * - `-t`:      the API's timestamp before the message (`-t` = RFC3339 with nanoseconds,
 *              `-t short` = `01-02 15:04:05`, no year).
 * - json:      `{"message":...,"nodeName":...,"namespace":...,"podName":...,"containerName":...}`.
 * - extjson:   `{"pod": "P", "container": "C", "message": M}` (`"namespace"` first under -A),
 *              M embedded as JSON when the message is JSON, else a string; colours inside the
 *              quotes.
 * - ppextjson: the same spread over lines: `{`, one key a line, `}`.
 *
 * The message is the container's own line, so the payload parsers read it as they read the
 * container's file; the pod and container name the component, as a pods/ path does.
 */
import type { EnvelopeContext, EnvelopeParser, EnvelopeReader, EnvelopeRecord, Line, SourceHints } from '../types.js';
import { PAYLOADS } from '../payload/index.js';
import { PrefixHints, bareRecord, podHints } from './records.js';
import { readLeadingTimestamp } from './timestamp.js';
import { parseJsonRecord } from '../../src/util/json.js';

// This envelope's name, added to EnvelopeName (parsers/types.ts, EnvelopeNames).
declare module '../types.js' {
  interface EnvelopeNames {
    stern: true;
  }
}

 
const SGR = /\x1b\[[0-9;]*m/g;
/** Pod names are DNS subdomains, container names and namespaces DNS labels. */
const DNS_NAME = /^[a-z0-9](?:[-a-z0-9.]{0,251}[a-z0-9])?$/;
/** `-t short`: month-day and time, no year. */
const SHORT_TIME = /^(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d) /;
/** A ppextjson record is 5 lines (6 with the namespace); more and it was something else. */
const MAX_PRETTY_LINES = 8;

export interface SternLine {
  namespace?: string;
  pod: string;
  container: string;
  node?: string;
  /** The container's line, timestamp removed. */
  message: string;
  time?: number;
  /** The time came from `-t short` (no year: the reference time's year was taken). */
  yearInferred?: boolean;
}

function stripColor(text: string): string {
  return text.includes('\x1b') ? text.replace(SGR, '') : text;
}

/** The year closest before `reference` (plus a day's slack) for a month-day time. */
function shortTime(m: RegExpExecArray, referenceTime: number): number | undefined {
  const [month, day, hour, minute, second] = m.slice(1, 6).map(Number) as [number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return undefined;
  const year = new Date(referenceTime / 1000).getUTCFullYear();
  let ms = Date.UTC(year, month - 1, day, hour, minute, second);
  if (ms * 1000 > referenceTime + 86_400_000_000) ms = Date.UTC(year - 1, month - 1, day, hour, minute, second);
  return ms * 1000;
}

/** The message with stern's `-t` timestamp taken off, when it has one. */
function splitTime(message: string, referenceTime: number): { message: string; time?: number; yearInferred?: boolean } {
  const ts = readLeadingTimestamp(message);
  if (ts && message.charCodeAt(ts.payload - 1) === 32) return { message: message.slice(ts.payload), time: ts.micros };
  const m = SHORT_TIME.exec(message);
  const time = m ? shortTime(m, referenceTime) : undefined;
  if (m && time !== undefined) return { message: message.slice(m[0].length), time, yearInferred: true };
  return { message };
}

/** Does the message look like a container's line of a known format (the evidence of a prefix)? */
function knownPayload(message: string): boolean {
  return message.length > 0 && PAYLOADS.some((p) => p.matches(message));
}

function fromJson(text: string, referenceTime: number): SternLine | undefined {
  const clean = stripColor(text);
  const o = parseJsonRecord(clean);
  if (!o) return undefined;
  const pod = o.podName ?? o.pod;
  const container = o.containerName ?? o.container;
  if (typeof pod !== 'string' || typeof container !== 'string' || !DNS_NAME.test(pod) || !DNS_NAME.test(container)) return undefined;
  let message: string;
  if (typeof o.message === 'string') message = o.message;
  else if (typeof o.message === 'object' && o.message !== null) {
    // extjson embeds a JSON message as it was written: take its text as is, not re-serialized.
    const at = clean.search(/"message": ?[{[]/);
    message = at >= 0 ? clean.slice(clean.indexOf(':', at) + 1).replace(/^[\s]+/, '').replace(/\s*}\s*$/, '') : JSON.stringify(o.message);
    if (!message.startsWith('{') && !message.startsWith('[')) message = JSON.stringify(o.message);
  } else return undefined;
  const out: SternLine = { pod, container, ...splitTime(message, referenceTime) };
  const ns = o.namespace;
  if (typeof ns === 'string' && DNS_NAME.test(ns)) out.namespace = ns;
  if (typeof o.nodeName === 'string' && o.nodeName) out.node = o.nodeName;
  return out;
}

/** Up to three leading names of a default line (colours removed) and where each ends. */
function leadingNames(text: string): { names: string[]; ends: number[] } {
  const names: string[] = [];
  const ends: number[] = [];
  let at = 0;
  while (names.length < 3) {
    const space = text.indexOf(' ', at);
    if (space < 0 || space - at > 300) break;
    const name = stripColor(text.slice(at, space));
    if (!DNS_NAME.test(name)) break;
    names.push(name);
    ends.push(space + 1);
    at = space + 1;
  }
  return { names, ends };
}

/**
 * A default-form line. `namespaced` says which form the source uses when the line alone cannot
 * tell (undefined: decide from this line). The evidence for a form is a timestamp or a known
 * payload right after the names it takes.
 */
export function readSternDefault(text: string, referenceTime: number, namespaced?: boolean): (SternLine & { evidence: boolean; namespaced: boolean }) | undefined {
  const { names, ends } = leadingNames(text);
  if (names.length < 2) return undefined;
  const take = (withNs: boolean) => {
    const n = withNs ? 3 : 2;
    const split = splitTime(text.slice(ends[n - 1]!), referenceTime);
    const line: SternLine = { pod: names[n - 2]!, container: names[n - 1]!, ...split };
    if (withNs) line.namespace = names[0]!;
    return { ...line, evidence: split.time !== undefined || knownPayload(split.message), namespaced: withNs };
  };
  const two = take(false);
  if (names.length < 3) return namespaced ? undefined : two;
  const three = take(true);
  if (three.evidence && !two.evidence) return three;
  if (two.evidence && !three.evidence) return two;
  return namespaced ? three : two;
}

/** A default line that scores: names with a dash (a generated or static pod's name) and evidence. */
function scoresDefault(text: string, referenceTime: number): boolean {
  const s = readSternDefault(text, referenceTime);
  return !!s && s.evidence && (s.pod.includes('-') || text.includes('\x1b['));
}

class SternReader implements EnvelopeReader {
  private readonly hints: PrefixHints;
  /** The source's form, once a line has shown it. */
  private namespaced: boolean | undefined;
  /** The lines of a ppextjson record being read. */
  private pretty: Line[] = [];

  constructor(private readonly ctx: EnvelopeContext) {
    this.hints = new PrefixHints(ctx.hints);
  }

  private hintsFor(s: SternLine): SourceHints {
    const key = `${s.namespace ?? ''}/${s.pod}/${s.container}/${s.node ?? ''}`;
    const known = this.hints.get(key);
    if (known) return known;
    // As for a kubectl prefix: the container names the component, failing that the pod.
    const own = podHints(s.pod, s.container);
    if (s.namespace) own.pod!.namespace = s.namespace;
    if (s.node) own.host = s.node;
    return this.hints.add(key, own);
  }

  private record(first: Line, last: Line, raw: string, s: SternLine, truncated: boolean): EnvelopeRecord {
    const rec: EnvelopeRecord = { kind: 'record', text: s.message, hints: this.hintsFor(s), firstLine: first.no, lastLine: last.no, raw };
    if (s.time !== undefined) rec.time = s.time;
    if (s.yearInferred) rec.timeYearInferred = true;
    if (truncated) rec.truncated = true;
    return rec;
  }

  /** The pending ppextjson lines, as one record or (not stern's after all) as bare lines. */
  private flushPretty(): EnvelopeRecord[] {
    const lines = this.pretty;
    this.pretty = [];
    if (lines.length === 0) return [];
    const raw = lines.map((l) => l.text).join('\n');
    const s = lines[lines.length - 1]!.text.trim() === '}' ? fromJson(raw, this.ctx.referenceTime) : undefined;
    if (s) return [this.record(lines[0]!, lines[lines.length - 1]!, raw, s, lines.some((l) => l.truncated))];
    return lines.flatMap((l) => this.single(l));
  }

  private single(line: Line): EnvelopeRecord[] {
    const text = line.text;
    if (text.charCodeAt(0) === 123) {
      const s = fromJson(text, this.ctx.referenceTime);
      if (s) return [this.record(line, line, text, s, !!line.truncated)];
    }
    const d = readSternDefault(text, this.ctx.referenceTime, this.namespaced);
    if (!d) return [bareRecord(line, this.hints.unprefixed)];
    if (d.evidence) this.namespaced = d.namespaced;
    return [this.record(line, line, text, d, !!line.truncated)];
  }

  push(line: Line): EnvelopeRecord[] {
    if (this.pretty.length > 0) {
      this.pretty.push(line);
      if (line.text.trim() === '}' || this.pretty.length >= MAX_PRETTY_LINES) return this.flushPretty();
      return [];
    }
    if (line.text.trim() === '{') {
      this.pretty.push(line);
      return [];
    }
    return this.single(line);
  }

  end(): EnvelopeRecord[] {
    return this.flushPretty();
  }
}

/** Does this sample line look like stern's? (ppextjson counts on its `"pod": ` lines.) */
function scoresLine(line: string, referenceTime: number): boolean {
  if (line.charCodeAt(0) === 123) return fromJson(line, referenceTime) !== undefined;
  if (/^ {2}"(?:pod|podName)": "/.test(line)) return true;
  return scoresDefault(line, referenceTime);
}

export const sternEnvelope: EnvelopeParser = {
  name: 'stern',
  score(sample: string[]): number {
    const now = Date.now() * 1000;
    let n = 0;
    for (const line of sample) if (scoresLine(line, now)) n++;
    return n;
  },
  create: (ctx) => new SternReader(ctx),
};

/** A sample of this envelope and what it must give: real lines (the kind 1.32 bundle's containers) as stern writes them. */
export interface SternSample {
  lines: string[];
  records: { text: string; pod: string; container: string; namespace?: string; host?: string; component?: string; time?: number }[];
}

const SCHED = 'W0321 14:51:24.449669       1 authentication.go:398] Continuing without authentication configuration. This may treat all requests as anonymous.';
const ETCD = '{"level":"info","ts":"2025-03-21T14:51:23.233667Z","caller":"embed/etcd.go:136","msg":"configuring client listeners","listen-client-urls":["https://127.0.0.1:2379","https://172.19.0.7:2379"]}';

export const samples: readonly SternSample[] = [
  {
    lines: [`kube-scheduler-kind-control-plane kube-scheduler ${SCHED}`],
    records: [{ text: SCHED, pod: 'kube-scheduler-kind-control-plane', container: 'kube-scheduler', component: 'kube-scheduler' }],
  },
  {
    lines: [`\x1b[36mkube-system\x1b[0m \x1b[36metcd-kind-control-plane\x1b[0m \x1b[32metcd\x1b[0m 2025-03-21T14:51:23.233948735Z ${ETCD}`],
    records: [{ text: ETCD, pod: 'etcd-kind-control-plane', container: 'etcd', namespace: 'kube-system', component: 'etcd', time: Date.UTC(2025, 2, 21, 14, 51, 23, 233) * 1000 + 948 }],
  },
  {
    lines: [JSON.stringify({ message: SCHED, nodeName: 'kind-control-plane', namespace: 'kube-system', podName: 'kube-scheduler-kind-control-plane', containerName: 'kube-scheduler' })],
    records: [{ text: SCHED, pod: 'kube-scheduler-kind-control-plane', container: 'kube-scheduler', namespace: 'kube-system', host: 'kind-control-plane', component: 'kube-scheduler' }],
  },
  {
    lines: ['{', '  "pod": "etcd-kind-control-plane",', '  "container": "etcd",', `  "message": ${ETCD}`, '}'],
    records: [{ text: ETCD, pod: 'etcd-kind-control-plane', container: 'etcd', component: 'etcd' }],
  },
];
