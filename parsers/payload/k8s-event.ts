/**
 * Kubernetes Events: `kubectl get events -o json|yaml` (an EventList, or a bare list), single
 * Event documents, and watch output, in both core/v1 (`involvedObject`, `reason`, `message`,
 * `count`, `firstTimestamp`/`lastTimestamp`, `source`) and events.k8s.io/v1 (`regarding`, `note`,
 * `reportingController`, `series`, `deprecated*`).
 *
 * An EventList can be large, so the document reader streams it: for JSON a small brace- and
 * string-aware scanner finds each element of `items` with its first and last line and parses that
 * slice alone; for YAML the items are cut at their `- ` at the items' indentation and each chunk
 * is parsed alone. Only one item is held at a time.
 */
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import type { ObjectRef } from '../../src/model/event.js';
import { parseRfc3339 } from '../../src/util/time.js';
import type { DocumentItem, DocumentParser, DocumentReader, Line, PayloadParser, PayloadSample, PayloadResult } from '../types.js';
import { isClusterScopedKind } from './k8s-kinds.js';
import { parseJson } from '../../src/util/json.js';

// This format's name, added to the model's PayloadFormat (src/model/event.ts, ParsedFormats).
declare module '../../src/model/event.js' {
  interface ParsedFormats {
    'k8s-event': true;
  }
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

// ---------------------------------------------------------------------------------------------
// One Event object -> PayloadResult.

const WATCH_TYPES = new Set(['ADDED', 'MODIFIED', 'DELETED']);

/** An Event, or a watch record wrapping one (`{"type":"ADDED","object":{...}}`); else undefined. */
function asEvent(v: unknown): Obj | undefined {
  if (!isObj(v)) return undefined;
  if (typeof v['type'] === 'string' && WATCH_TYPES.has(v['type']) && isObj(v['object'])) return asEvent(v['object']);
  if (v['kind'] === 'Event' || isObj(v['involvedObject']) || isObj(v['regarding'])) return v;
  return undefined;
}

function objectRef(v: unknown, key: string): ObjectRef | undefined {
  if (!isObj(v)) return undefined;
  const kind = str(v['kind']);
  const name = str(v['name']);
  if (!kind || !name) return undefined; // an object without kind or name cannot be matched
  // Events about a Namespace or a Node often carry a namespace anyway: those kinds have none.
  const namespace = isClusterScopedKind(kind) ? undefined : str(v['namespace']);
  const uid = str(v['uid']);
  return { kind, ...(namespace ? { namespace } : {}), name, ...(uid ? { uid } : {}), via: 'event', key };
}

function firstTime(...candidates: unknown[]): { micros: number; hasZone: boolean } | undefined {
  for (const c of candidates) {
    const s = str(c);
    const t = s ? parseRfc3339(s) : undefined;
    if (t) return t;
  }
  return undefined;
}

/** The PayloadResult for one Event (core/v1 or events.k8s.io/v1); undefined when it is not one. */
export function eventResult(value: unknown): PayloadResult | undefined {
  const e = asEvent(value);
  if (!e) return undefined;
  const meta = isObj(e['metadata']) ? e['metadata'] : {};
  const source = isObj(e['source']) ? e['source'] : isObj(e['deprecatedSource']) ? e['deprecatedSource'] : {};
  const series = isObj(e['series']) ? e['series'] : {};

  const reason = str(e['reason']);
  const text = str(e['message']) ?? str(e['note']) ?? '';
  const type = str(e['type']);
  const count = num(e['count']) ?? num(e['deprecatedCount']) ?? num(series['count']);
  const sourceComponent = str(source['component']) ?? str(e['reportingController']) ?? str(e['reportingComponent']);
  const host = str(source['host']);

  const fields: Obj = {};
  if (reason) fields['reason'] = reason;
  if (type) fields['type'] = type;
  if (count !== undefined) fields['count'] = count;
  if (sourceComponent) fields['sourceComponent'] = sourceComponent;
  if (host) fields['host'] = host;
  const action = str(e['action']);
  if (action) fields['action'] = action;

  const objects: ObjectRef[] = [];
  const involved = objectRef(e['involvedObject'], 'involvedObject') ?? objectRef(e['regarding'], 'regarding');
  if (involved) objects.push(involved);
  const related = objectRef(e['related'], 'related');
  if (related) objects.push(related);

  const result: PayloadResult = {
    format: 'k8s-event',
    severity: type === 'Warning' ? 'warn' : 'info',
    message: reason && text ? `${reason}: ${text}` : (reason ?? text),
    fields,
    objects,
    component: 'event',
  };
  if (host) result.host = host;
  const t = firstTime(
    e['lastTimestamp'],
    series['lastObservedTime'],
    e['deprecatedLastTimestamp'],
    e['eventTime'],
    e['firstTimestamp'],
    e['deprecatedFirstTimestamp'],
    meta['creationTimestamp'],
  );
  if (t) {
    result.time = t.micros;
    result.hasZone = t.hasZone;
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// A single-line JSON Event (jq -c output, watch output): a line parser.

function lineMatches(text: string): boolean {
  return (
    text.charCodeAt(0) === 123 /* { */ &&
    (text.includes('"involvedObject"') || text.includes('"regarding"')) &&
    !text.includes('"auditID"')
  );
}

function lineParse(lines: readonly string[]): PayloadResult {
  const text = lines[0] ?? '';
  return (
    eventResult(parseJson(text)) ?? {
      format: 'k8s-event',
      severity: 'info',
      message: text,
      fields: { malformed: true },
      objects: [],
      component: 'event',
    }
  );
}

/** Real lines of this format and their expected parse (parsers/types.ts, PayloadSample). */
const SAMPLES: readonly PayloadSample[] = [
  {
    from: "failure-cases/C5/log/*-events.log.txt: one item of the EventList, on one line as `kubectl get events -w -o json` writes it",
    text: "{\"action\":\"Scheduling\",\"apiVersion\":\"v1\",\"eventTime\":\"2023-08-30T03:58:16.222980Z\",\"firstTimestamp\":null,\"involvedObject\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"name\":\"fifty-cpu-util-app-67dbbf6df9-gmcnj\",\"namespace\":\"default\",\"resourceVersion\":\"15697771\",\"uid\":\"575d27aa-23a7-40a0-909e-0a0546d8de49\"},\"kind\":\"Event\",\"lastTimestamp\":null,\"message\":\"0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/master: }, 3 Insufficient cpu. preemption: 0/4 nodes are available: 1 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod.\",\"metadata\":{\"creationTimestamp\":\"2023-08-30T03:58:16Z\",\"name\":\"fifty-cpu-util-app-67dbbf6df9-gmcnj.17800d21386bf656\",\"namespace\":\"default\",\"resourceVersion\":\"15697776\",\"uid\":\"6bc3644c-c0a8-4516-afa9-7667322575dd\"},\"reason\":\"FailedScheduling\",\"reportingComponent\":\"default-scheduler\",\"reportingInstance\":\"default-scheduler-kind-control-plane\",\"source\":{},\"type\":\"Warning\"}",
    expect: {severity:"warn",message:"FailedScheduling: 0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/master: }, 3 Insufficient cpu. preemption: 0/4 nodes are available: 1 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod.",fields:{reason:"FailedScheduling",type:"Warning",sourceComponent:"default-scheduler",action:"Scheduling"},component:"event",objects:[{kind:"Pod",namespace:"default",name:"fifty-cpu-util-app-67dbbf6df9-gmcnj",uid:"575d27aa-23a7-40a0-909e-0a0546d8de49",via:"event",key:"involvedObject"}]},
  },
];

export const k8sEventLineParser: PayloadParser = {
  format: 'k8s-event',
  samples: SAMPLES,
  matches: lineMatches,
  parse: (lines) => lineParse(lines),
};

// ---------------------------------------------------------------------------------------------
// Detection.

const YAML_ITEMS = /^items:/m;
const YAML_EVENT_KEY = /^[ -]*(?:involvedObject|regarding):/m;
const YAML_EVENT_KIND = /^[ -]*kind: Event(?:List)?\s*$/m;
const JSON_EVENT_KIND = /"kind":\s*"Event(?:List)?"/;

function detect(head: string, fileName: string): boolean {
  const body = head.replace(/^\uFEFF/, '').trimStart();
  const namedEvents = /(?:^|[/\\])events?\.(?:json|ya?ml)$/i.test(fileName);
  if (body.startsWith('{') || body.startsWith('[')) {
    if (head.includes('"auditID"') || head.includes('==== START logs')) return false;
    const eventish = head.includes('"involvedObject"') || head.includes('"regarding"');
    if (eventish && JSON_EVENT_KIND.test(head)) return true;
    return namedEvents && head.includes('"items"');
  }
  if (YAML_EVENT_KEY.test(head) && YAML_EVENT_KIND.test(head)) return true;
  return namedEvents && YAML_ITEMS.test(head);
}

// ---------------------------------------------------------------------------------------------
// JSON: a streaming scanner over a list (or a stream of objects).

/** A top-level object that is not yet known to be a list is held, up to this size, in case it is an Event. */
const MAX_CANDIDATE_CHARS = 4 << 20;

class JsonEventReader implements DocumentReader {
  setAside = 0;
  /** Open containers: 123 ({) or 91 ([). */
  private stack: number[] = [];
  private inString = false;
  private escape = false;
  /** In the top-level object: the next string is a key. */
  private expectKey = false;
  private keyStart = -1;
  private lastTopKey = '';
  /** Depth of the array whose elements are items (the top-level array, or the list's `items`). */
  private itemsDepth = -1;
  /** The item being read: its text so far and its first line. */
  private item: string[] | undefined;
  private itemDepth = -1;
  private itemFirst = 0;
  private itemStartCol = 0;
  /** A top-level object that may be a single Event (dropped if it turns out to have `items`). */
  private candidate: string[] | undefined;
  private candidateFirst = 0;
  private candidateChars = 0;
  private candidateLines = 0;

  push(line: Line): DocumentItem[] {
    const out: DocumentItem[] = [];
    const text = line.text;
    let touched = false;
    if (this.item) this.itemStartCol = 0;
    let candidateCol = this.candidate ? 0 : -1;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (c === 92 /* \ */) this.escape = true;
        else if (c === 34 /* " */) {
          this.inString = false;
          if (this.keyStart >= 0) {
            this.lastTopKey = text.slice(this.keyStart, i);
            this.keyStart = -1;
            this.expectKey = false;
          }
        }
        continue;
      }
      switch (c) {
        case 34: // "
          this.inString = true;
          if (this.stack.length === 1 && this.stack[0] === 123 && this.expectKey) this.keyStart = i + 1;
          break;
        case 123: // {
        case 91: {
          // [
          const depth = this.stack.length;
          if (c === 123 && this.item === undefined && depth === this.itemsDepth) {
            this.item = [];
            this.itemDepth = depth + 1;
            this.itemFirst = line.no;
            this.itemStartCol = i;
          }
          if (depth === 0) {
            if (c === 91) this.itemsDepth = 1;
            else {
              this.candidate = [];
              this.candidateFirst = line.no;
              this.candidateChars = 0;
              this.candidateLines = 0;
              candidateCol = i;
            }
          } else if (depth === 1 && c === 91 && this.stack[0] === 123 && this.lastTopKey === 'items') {
            this.itemsDepth = 2;
            this.dropCandidate();
          }
          this.stack.push(c);
          if (depth === 0 && c === 123) this.expectKey = true;
          break;
        }
        case 125: // }
        case 93: {
          // ]
          this.stack.pop();
          const depth = this.stack.length;
          if (this.item !== undefined && depth === this.itemDepth - 1) {
            this.item.push(text.slice(this.itemStartCol, i + 1));
            const emitted = this.finish(this.item, this.itemFirst, line.no);
            if (emitted) {
              out.push(emitted);
              touched = true;
            } else this.setAside += line.no - this.itemFirst; // the lines before this one; this one below
            this.item = undefined;
          }
          if (depth === 0) {
            if (this.candidate !== undefined && candidateCol >= 0) {
              this.candidate.push(text.slice(candidateCol, i + 1));
              const emitted = this.finish(this.candidate, this.candidateFirst, line.no);
              if (emitted) {
                out.push(emitted);
                touched = true;
              } else this.setAside += this.candidateLines;
              this.candidate = undefined;
              candidateCol = -1;
            }
            this.itemsDepth = -1;
            this.lastTopKey = '';
          }
          break;
        }
        case 44: // ,
          if (this.stack.length === 1 && this.stack[0] === 123) this.expectKey = true;
          break;
        default:
          break;
      }
    }
    if (this.item !== undefined) {
      this.item.push(text.slice(this.itemStartCol));
      touched = true;
    }
    if (this.candidate !== undefined && candidateCol >= 0) {
      const piece = text.slice(candidateCol);
      this.candidateChars += piece.length;
      this.candidateLines++;
      if (this.candidateChars > MAX_CANDIDATE_CHARS) this.dropCandidate();
      else this.candidate.push(piece);
    } else if (!touched) this.setAside++;
    return out;
  }

  /** The top-level object is a list (or too big): the lines held so far belong to no item. */
  private dropCandidate(): void {
    if (this.candidate === undefined) return;
    this.setAside += this.candidateLines;
    this.candidate = undefined;
    this.candidateLines = 0;
  }

  private finish(parts: string[], first: number, last: number): DocumentItem | undefined {
    const raw = parts.join('\n');
    const result = eventResult(parseJson(raw));
    return result ? { result, firstLine: first, lastLine: last, raw } : undefined;
  }

  end(): DocumentItem[] {
    // An unterminated item or candidate (a cut file): its lines belong to no event.
    if (this.item !== undefined) this.setAside += this.item.length;
    if (this.candidate !== undefined) this.setAside += this.candidateLines;
    this.item = undefined;
    this.candidate = undefined;
    return [];
  }
}

// ---------------------------------------------------------------------------------------------
// YAML: items cut at their `- `.

const MAX_YAML_DOC_LINES = 20_000;

function indentOf(text: string): number {
  let i = 0;
  while (i < text.length && text.charCodeAt(i) === 32) i++;
  return i;
}

/** A sequence entry at `indent`: `- key: value` or a lone `-`. */
function isDash(text: string, indent: number): boolean {
  return text.startsWith('- ', indent) || (text.length === indent + 1 && text[indent] === '-');
}

function isBlankOrComment(text: string): boolean {
  const t = text.trim();
  return t === '' || t.startsWith('#');
}

class YamlEventReader implements DocumentReader {
  setAside = 0;
  private mode: 'top' | 'items' = 'top';
  /** This document has an `items:` key: it is a list, and its other lines are set aside. */
  private isList = false;
  /** Lines of a top-level document that may be a single Event. */
  private doc: Line[] = [];
  private itemIndent = -1;
  private item: Line[] = [];
  /** Blank lines after the current item's last content line: they only count if more content follows. */
  private trailingBlank = 0;

  push(line: Line): DocumentItem[] {
    const out: DocumentItem[] = [];
    const text = line.text;
    if (this.mode === 'items') {
      if (isBlankOrComment(text)) {
        if (this.item.length > 0) {
          this.item.push(line);
          this.trailingBlank++;
        } else this.setAside++;
        return out;
      }
      const indent = indentOf(text);
      if (this.itemIndent < 0) {
        if (isDash(text, indent)) this.itemIndent = indent;
        else {
          this.mode = 'top'; // `items:` followed by something that is not a sequence
          return this.pushTop(line, out);
        }
      }
      if (indent === this.itemIndent && isDash(text, indent)) {
        this.flushItem(out);
        this.item = [line];
        return out;
      }
      if (indent > this.itemIndent && this.item.length > 0) {
        this.item.push(line);
        this.trailingBlank = 0;
        return out;
      }
      // Back at the list's own level (kind: EventList, metadata:): the items are over.
      this.flushItem(out);
      this.mode = 'top';
      this.itemIndent = -1;
    }
    return this.pushTop(line, out);
  }

  private pushTop(line: Line, out: DocumentItem[]): DocumentItem[] {
    const text = line.text;
    if (text === '---' || text.startsWith('--- ') || text === '...') {
      this.flushDoc(out);
      this.isList = false;
      this.setAside++;
      return out;
    }
    if (text.startsWith('items:')) {
      this.setAside += this.doc.length + 1;
      this.doc = [];
      this.isList = true;
      if (text.slice(6).trim() === '') this.mode = 'items';
      return out;
    }
    if (this.isList || this.doc.length >= MAX_YAML_DOC_LINES) this.setAside++;
    else this.doc.push(line);
    return out;
  }

  private flushItem(out: DocumentItem[]): void {
    if (this.item.length === 0) return;
    const lines = this.item.slice(0, this.item.length - this.trailingBlank);
    this.setAside += this.trailingBlank;
    this.item = [];
    this.trailingBlank = 0;
    const cut = this.itemIndent;
    const value = parseYamlSafe(lines.map((l) => l.text.slice(cut)).join('\n'));
    const result = eventResult(Array.isArray(value) ? value[0] : undefined);
    if (result) out.push(itemOf(result, lines));
    else this.setAside += lines.length;
  }

  /** A whole top-level document: a single Event (kubectl get event x -o yaml), or nothing of ours. */
  private flushDoc(out: DocumentItem[]): void {
    const lines = this.doc;
    this.doc = [];
    if (lines.length === 0) return;
    const content = lines.filter((l) => !isBlankOrComment(l.text));
    const result = content.length > 0 ? eventResult(parseYamlSafe(lines.map((l) => l.text).join('\n'))) : undefined;
    if (!result) {
      this.setAside += lines.length;
      return;
    }
    // Leading and trailing blank lines belong to no item.
    const first = lines.indexOf(content[0]!);
    const last = lines.lastIndexOf(content[content.length - 1]!);
    this.setAside += first + (lines.length - 1 - last);
    out.push(itemOf(result, lines.slice(first, last + 1)));
  }

  end(): DocumentItem[] {
    const out: DocumentItem[] = [];
    if (this.mode === 'items') this.flushItem(out);
    this.flushDoc(out);
    return out;
  }
}

/**
 * yaml is loaded on the first YAML document: every read loads this parser, and loading yaml was a
 * seventh of a small capture's start-up (profiled: `ktrail one.log` spent ~60 of 1030 ms in it).
 */
let yaml: typeof Yaml | undefined;

function parseYamlSafe(text: string): unknown {
  try {
    yaml ??= createRequire(import.meta.url)('yaml') as typeof Yaml;
    return yaml.parse(text, { uniqueKeys: false, maxAliasCount: 100 });
  } catch {
    return undefined;
  }
}

function itemOf(result: PayloadResult, lines: Line[]): DocumentItem {
  return {
    result,
    firstLine: lines[0]!.no,
    lastLine: lines[lines.length - 1]!.no,
    raw: lines.map((l) => l.text).join('\n'),
  };
}

// ---------------------------------------------------------------------------------------------
// The document reader picks JSON or YAML from the first line with content.

class EventDocumentReader implements DocumentReader {
  private inner: DocumentReader | undefined;
  private leading = 0;

  get setAside(): number {
    return this.leading + (this.inner?.setAside ?? 0);
  }

  push(line: Line): DocumentItem[] {
    if (!this.inner) {
      const t = line.text.replace(/^\uFEFF/, '').trimStart();
      if (t === '') {
        this.leading++;
        return [];
      }
      this.inner = t.startsWith('{') || t.startsWith('[') ? new JsonEventReader() : new YamlEventReader();
      if (t !== line.text) line = { ...line, text: line.text.replace(/^\uFEFF/, '') };
    }
    return this.inner.push(line);
  }

  end(): DocumentItem[] {
    return this.inner?.end() ?? [];
  }
}

export const k8sEventDocument: DocumentParser = {
  format: 'k8s-event',
  detect,
  create: () => new EventDocumentReader(),
};
