/**
 * Small builders shared by the envelope readers: hint merging and the records every reader emits
 * for lines that are not of its shape.
 */
import type { EnvelopeRecord, Line, PodHint, SourceHints } from '../types.js';
import { componentFromName } from './component-names.js';

/**
 * The file's place (`place`) overlaid with what the envelope says (`own`): whatever the envelope
 * states wins (journald knows the real host, pid and identifier; a minikube section or a kubectl
 * prefix knows the container better than a file name does). A pod named by both is merged field
 * by field when the names agree (the path gives the namespace and UID, the prefix the container).
 * Readers call this once per distinct set of envelope hints, and records that share hints share
 * the object: treat record hints as read-only.
 */
export function mergeHints(place: SourceHints, own: SourceHints): SourceHints {
  const out: SourceHints = { ...place };
  if (own.component !== undefined) out.component = own.component;
  if (own.host !== undefined) out.host = own.host;
  if (own.identifier !== undefined) out.identifier = own.identifier;
  if (own.pid !== undefined) out.pid = own.pid;
  if (own.pod !== undefined) out.pod = mergePod(place.pod, own.pod);
  return out;
}

function mergePod(place: PodHint | undefined, own: PodHint): PodHint {
  if (!place || place.name !== own.name) return own;
  const out: PodHint = { ...place };
  if (own.namespace !== undefined) out.namespace = own.namespace;
  if (own.uid !== undefined) out.uid = own.uid;
  if (own.container !== undefined) out.container = own.container;
  return out;
}

/** Distinct prefixes whose hints a reader keeps: a file of ever-new prefixes must not grow it without end. */
const MAX_PREFIX_HINTS = 4096;

/**
 * Hints per distinct line prefix (a compose service, a kubectl or stern pod and container),
 * merged over the file's place once, so that records with one prefix share one hints object.
 */
export class PrefixHints {
  private readonly cache = new Map<string, SourceHints>();
  /** The hints of a line without the prefix: the place alone. */
  readonly unprefixed: SourceHints;

  constructor(private readonly place: SourceHints) {
    this.unprefixed = mergeHints(place, {});
  }

  get(key: string): SourceHints | undefined {
    return this.cache.get(key);
  }

  /** Merges what the prefix says over the place and keeps it under `key`. */
  add(key: string, own: SourceHints): SourceHints {
    const hints = mergeHints(this.place, own);
    if (this.cache.size >= MAX_PREFIX_HINTS) this.cache.clear();
    this.cache.set(key, hints);
    return hints;
  }
}

/**
 * What a pod/container prefix says: the pod and container, and the component the container names
 * (static pods: `etcd`, `kube-apiserver`), failing that the one the pod's name does (`kube-proxy-x6z2k`).
 */
export function podHints(pod: string, container: string): SourceHints {
  const own: SourceHints = { pod: { name: pod, container } };
  const component = componentFromName(container) ?? componentFromName(pod);
  if (component) own.component = component;
  return own;
}

/** A record that is one physical line, whole. */
function wholeLine(kind: EnvelopeRecord['kind'], line: Line, hints: SourceHints): EnvelopeRecord {
  const rec: EnvelopeRecord = { kind, text: line.text, hints, firstLine: line.no, lastLine: line.no, raw: line.text };
  if (line.truncated) rec.truncated = true;
  return rec;
}

/** A line that is not of the reader's shape: kept whole, with no time, so nothing is lost. */
export function bareRecord(line: Line, hints: SourceHints): EnvelopeRecord {
  return wholeLine('record', line, hints);
}

/** A line of the envelope itself (a section header, `-- Boot ... --`): no event. */
export function metaRecord(line: Line, hints: SourceHints): EnvelopeRecord {
  return wholeLine('meta', line, hints);
}

/** A one-line record whose payload starts at `payloadStart` of the line. */
export function lineRecord(
  line: Line,
  payloadStart: number,
  time: number | undefined,
  hints: SourceHints,
): EnvelopeRecord {
  const rec: EnvelopeRecord = {
    kind: 'record',
    text: payloadStart >= line.text.length ? '' : line.text.slice(payloadStart),
    hints,
    firstLine: line.no,
    lastLine: line.no,
    raw: line.text,
  };
  if (time !== undefined) rec.time = time;
  if (line.truncated) rec.truncated = true;
  return rec;
}

/**
 * Joined records (CRI P..F runs, docker split records) are capped: a writer that never ends its
 * line must not make us hold gigabytes. Past the cap the text and raw stop growing and the record
 * is marked truncated; its line span still covers every physical line.
 */
export const MAX_JOINED_CHARS = 4 * 1024 * 1024;

/** Accumulates the physical lines of one joined record. */
export class JoinBuffer {
  readonly firstLine: number;
  lastLine: number;
  readonly time: number | undefined;
  private readonly texts: string[] = [];
  private readonly raws: string[] = [];
  private size = 0;
  private rawSize = 0;
  /** Physical lines joined: fewer than the span when the other stream interleaves. */
  private count = 0;
  truncated = false;

  constructor(line: Line, time: number | undefined) {
    this.firstLine = line.no;
    this.lastLine = line.no;
    this.time = time;
  }

  add(line: Line, text: string): void {
    this.lastLine = line.no;
    this.count++;
    if (line.truncated) this.truncated = true;
    if (this.size + text.length <= MAX_JOINED_CHARS) {
      this.texts.push(text);
      this.size += text.length;
    } else {
      this.truncated = true;
    }
    if (this.rawSize + line.text.length <= MAX_JOINED_CHARS) {
      this.raws.push(line.text);
      this.rawSize += line.text.length + 1;
    } else {
      this.truncated = true;
    }
  }

  toRecord(hints: SourceHints, stream: 'stdout' | 'stderr' | undefined): EnvelopeRecord {
    const rec: EnvelopeRecord = {
      kind: 'record',
      text: this.texts.join(''),
      hints,
      firstLine: this.firstLine,
      lastLine: this.lastLine,
      raw: this.raws.join('\n'),
    };
    if (this.count !== this.lastLine - this.firstLine + 1) rec.physicalLines = this.count;
    if (this.time !== undefined) rec.time = this.time;
    if (stream !== undefined) rec.stream = stream;
    if (this.truncated) rec.truncated = true;
    return rec;
  }
}
