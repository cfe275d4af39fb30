/**
 * Turns one source's envelope records into events: picks the payload parser for each record,
 * folds continuation lines into the event they belong to, resolves time, component and host, and
 * keeps the source's accounting. One assembler per source; records arrive in file order.
 *
 * Folding needs one event of look-ahead: an event is complete only when the next record starts
 * another one (or the source ends), so the assembler holds one pending event.
 */
import type { DocumentItem, EnvelopeRecord, PayloadParser, PayloadResult, PodHint, SourceHints } from '../../parsers/types.js';
import { PAYLOADS } from '../../parsers/payload/index.js';
import { isAllInOneName } from '../../parsers/envelope/component-names.js';
import type { Component, KEvent, ObjectRef, PayloadFormat } from '../model/event.js';
import { basename } from 'node:path';
import { componentFromName } from '../../parsers/envelope/component-names.js';
import { WRITER_FIELD } from '../output/writer-name.js';
import { resolveTime } from './time.js';
import type { SourceStats } from './stats.js';

export interface AssemblerOptions {
  /** Display name of the source, used in every event's source.file. */
  file: string;
  envelope: string;
  /** Hints from the file's place (bundle path, file name). */
  hints: SourceHints;
  /** The file's mtime or now, epoch µs: only used to pick klog's year when nothing better exists. */
  referenceTime: number;
  /** --component: forces the component of every event. */
  componentOverride?: Component;
  /** Allocates the next global sequence number. */
  nextSeq: () => number;
  /** Parsers to try, in order (the registry by default). */
  parsers?: readonly PayloadParser[];
}

/**
 * Free text before a source's first recognized line is held back, up to this many lines: when a
 * recognized line follows, it was the container's entrypoint talking (an env dump, `+ exec`, a
 * script's echo) and becomes `plain` text flagged `preamble`; when none follows, it stays unknown.
 */
const PREAMBLE_MAX_LINES = 1000;

/** A line with anything but white space (the same white space as String.prototype.trim's). */
const NON_BLANK = /\S/;

interface Pending {
  parser: PayloadParser | undefined;
  texts: string[];
  first: EnvelopeRecord;
  lastLine: number;
  /** The first record's raw line; the folded ones' in `moreRaws` (no array for a one-line event, most of them). */
  raw: string;
  moreRaws?: string[];
  truncated: boolean;
}

function linesOf(r: EnvelopeRecord): number {
  return r.physicalLines ?? r.lastLine - r.firstLine + 1;
}

/** Records from different writers (journald identifiers, pods) never fold into each other. */
function sameChannel(a: EnvelopeRecord, b: EnvelopeRecord): boolean {
  return (
    a.hints.identifier === b.hints.identifier &&
    a.hints.pid === b.hints.pid &&
    a.hints.pod?.name === b.hints.pod?.name &&
    a.hints.pod?.container === b.hints.pod?.container &&
    a.stream === b.stream
  );
}

export class EventAssembler {
  private pending: Pending | undefined;
  /**
   * The last pending event once flushed, reused by the next start: one fewer object and array
   * per event (the parsers keep nothing of the lines array they are given).
   */
  private spare: Pending | undefined;
  private sticky: PayloadParser | undefined;
  private lastTime: number | undefined;
  /** The last component the content named, for lines (reflector.go...) that name none. */
  private lastContentComponent: Component | undefined;
  private readonly parsers: readonly PayloadParser[];
  private seenRecognized = false;
  private preambleOpen = true;
  private readonly preamble: KEvent[] = [];
  /** The last PID each journald identifier wrote with (see noteRestart). */
  private readonly pidOf = new Map<string, number>();
  private readonly sourceFormats = new Map<PayloadFormat, string>();
  private emitterPod: PodHint | undefined;
  private emitter: ObjectRef | undefined;

  constructor(
    private readonly opts: AssemblerOptions,
    private readonly stats: SourceStats,
  ) {
    this.parsers = opts.parsers ?? PAYLOADS;
  }

  /** Feeds one record; returns the events it completes. */
  push(record: EnvelopeRecord, out: KEvent[]): void {
    this.noteRestart(record, out);
    if (record.truncated) this.stats.truncatedLines++;
    if (record.kind === 'meta') {
      this.stats.setAside += linesOf(record);
      return;
    }
    const text = record.text;
    const pending = this.pending;

    // A test for any non-space rather than trim(): no trimmed copy of every line.
    if (!NON_BLANK.test(text)) {
      // A blank line inside a multi-line event (a stack trace, a key=< block) belongs to it;
      // anywhere else it carries nothing.
      if (pending?.parser?.continues?.(text, pending.texts) && sameChannel(pending.first, record)) {
        this.fold(pending, record);
      } else {
        this.stats.setAside += linesOf(record);
      }
      return;
    }

    const parser = this.findParser(text);
    if (parser) {
      this.flush(out);
      this.start(parser, record);
      this.countLines(record);
      return;
    }
    if (pending?.parser?.continues?.(text, pending.texts) && sameChannel(pending.first, record)) {
      this.fold(pending, record);
      return;
    }
    this.flush(out);
    this.start(undefined, record);
    this.countLines(record);
  }

  /** The lines a record that starts an event adds beyond its first (a method: no closure per record). */
  private countLines(record: EnvelopeRecord): void {
    const n = linesOf(record);
    // A record on a line an earlier record of the same value already took (cloud exports put
    // many on one line): its event is counted as sharing that line.
    if (record.kind === 'record' && n === 0) this.stats.sharedLineEvents = (this.stats.sharedLineEvents ?? 0) + 1;
    else this.stats.folded += n - 1;
  }

  /**
   * A new process of a writer already seen (journald shows it as a new PID under the same
   * identifier: the service restarted) starts a new preamble: an all-in-one service such as
   * MicroK8s' kubelite runs its wrapper script (`set -x` traces, "Starting kubelite", flag
   * deprecation notices) before each start's first component line.
   */
  private noteRestart(record: EnvelopeRecord, out: KEvent[]): void {
    const { identifier, pid } = record.hints;
    if (identifier === undefined || pid === undefined || record.kind !== 'record') return;
    const last = this.pidOf.get(identifier);
    this.pidOf.set(identifier, pid);
    if (last === undefined || last === pid || this.preambleOpen) return;
    this.flush(out);
    this.preambleOpen = true;
    this.seenRecognized = false;
  }

  /** End of the source: emits the pending event, and any held preamble as unknown. */
  end(out: KEvent[]): void {
    this.flush(out);
    this.releasePreamble(out, false);
  }

  /**
   * One item of a document (an EventList entry) with the lines it spans: an event of its own, no
   * folding or preamble (the document reader found its bounds), counted like any other.
   */
  document(item: DocumentItem, out: KEvent[]): void {
    const r = item.result;
    const component: Component = this.opts.componentOverride ?? r.component ?? this.opts.hints.component ?? 'event';
    const event: KEvent = {
      seq: this.opts.nextSeq(),
      time: r.time ?? 0,
      component,
      severity: r.severity,
      message: r.message,
      fields: r.fields,
      objects: r.objects,
      source: { file: this.opts.file, line: item.firstLine, endLine: item.lastLine, format: `document/${r.format}` },
      raw: item.raw,
      format: r.format,
    };
    if (r.time === undefined) event.timeInferred = 'none';
    const host = r.host ?? this.opts.hints.host;
    if (host) event.host = host;
    this.stats.events++;
    this.stats.folded += item.lastLine - item.firstLine;
    this.stats.formats[r.format] = (this.stats.formats[r.format] ?? 0) + 1;
    this.stats.components[component] = (this.stats.components[component] ?? 0) + 1;
    out.push(event);
  }

  /** Emits the held preamble lines: as entrypoint text when a recognized line followed, else unknown. */
  private releasePreamble(out: KEvent[], recognizedFollows: boolean): void {
    this.preambleOpen = false;
    for (const e of this.preamble) {
      if (recognizedFollows) {
        e.format = 'plain';
        e.source.format = e.source.format.replace(/\/unknown$/, '/plain');
        e.fields = { preamble: true };
        this.stats.unrecognized--;
        this.stats.events++;
        this.stats.formats.unknown!--;
        if (this.stats.formats.unknown === 0) delete this.stats.formats.unknown;
        this.stats.formats.plain = (this.stats.formats.plain ?? 0) + 1;
      }
      out.push(e);
    }
    this.preamble.length = 0;
  }

  private findParser(text: string): PayloadParser | undefined {
    const sticky = this.sticky;
    if (sticky && sticky.matches(text)) return sticky;
    for (const p of this.parsers) {
      if (p !== sticky && p.matches(text)) {
        this.sticky = p;
        return p;
      }
    }
    return undefined;
  }

  private start(parser: PayloadParser | undefined, record: EnvelopeRecord): void {
    const p = this.spare;
    if (p === undefined) {
      this.pending = { parser, texts: [record.text], first: record, lastLine: record.lastLine, raw: record.raw, truncated: record.truncated === true };
      return;
    }
    this.spare = undefined;
    p.parser = parser;
    // Overwritten in place: emptying the array (length = 0) would drop its backing store, and the
    // push after it allocate a larger one.
    if (p.texts.length > 1) p.texts.length = 1;
    p.texts[0] = record.text;
    p.first = record;
    p.lastLine = record.lastLine;
    p.raw = record.raw;
    p.moreRaws = undefined;
    p.truncated = record.truncated === true;
    this.pending = p;
  }

  private fold(pending: Pending, record: EnvelopeRecord): void {
    pending.texts.push(record.text);
    (pending.moreRaws ??= []).push(record.raw);
    pending.lastLine = record.lastLine;
    if (record.truncated) pending.truncated = true;
    this.stats.folded += linesOf(record);
  }

  /**
   * The pod whose container wrote the line: the emitter, not necessarily the subject. One ref per
   * pod hint (a source's records share their hints object), shared by the events it wrote, as
   * their refs are read-only data (nothing after the assembler changes a ref).
   */
  private emitterOf(pod: PodHint): ObjectRef {
    if (pod === this.emitterPod && this.emitter) return this.emitter;
    const ref: ObjectRef = { kind: 'Pod', name: pod.name, via: 'path', key: 'emitter' };
    if (pod.namespace) ref.namespace = pod.namespace;
    if (pod.uid) ref.uid = pod.uid;
    this.emitterPod = pod;
    this.emitter = ref;
    return ref;
  }

  /**
   * "cri/klog": one string per payload format, kept for the source (a template per event made a
   * new string that every held event kept alive).
   */
  private sourceFormat(format: PayloadFormat): string {
    let s = this.sourceFormats.get(format);
    if (s === undefined) this.sourceFormats.set(format, (s = `${this.opts.envelope}/${format}`));
    return s;
  }

  private flush(out: KEvent[]): void {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    const rec = p.first;
    let result: PayloadResult;
    let format: PayloadFormat;
    if (p.parser) {
      result = p.parser.parse(p.texts, { component: rec.hints.component ?? this.opts.hints.component });
      format = result.format;
    } else {
      result = { format: 'unknown', severity: 'info', message: p.texts.join('\n'), fields: {}, objects: [] };
      // Free text from a writer we know is not a cluster component (systemd under journald,
      // a minikube Docker section) is ordinary text, not an unrecognized line.
      format = (rec.hints.component ?? this.opts.hints.component) === 'other' ? 'plain' : 'unknown';
      result.format = format;
    }

    const { time, inferred } = resolveTime(result, {
      envelope: rec.time,
      envelopeYearInferred: rec.timeYearInferred,
      previous: this.lastTime,
      fallback: this.opts.referenceTime,
    });
    if (inferred !== 'previous' && inferred !== 'none') this.lastTime = time;

    if (result.component && result.component !== 'other') this.lastContentComponent = result.component;
    const component: Component =
      this.opts.componentOverride ??
      rec.hints.component ??
      this.opts.hints.component ??
      result.component ??
      // The last component the source named stands in for a line that names none, except under
      // an all-in-one writer (k3s, kubelite), whose neighbouring lines come from any component.
      (format === 'unknown' || format === 'plain' || p.parser?.sharedByWriters === true || (rec.hints.identifier !== undefined && isAllInOneName(rec.hints.identifier))
        ? undefined
        : this.lastContentComponent) ??
      'other';

    const pod = rec.hints.pod ?? this.opts.hints.pod;
    // The parser's array is the event's own (every parser returns a new one), so the emitter is
    // added to it in place.
    const objects = result.objects;
    if (pod !== undefined && (pod.uid || pod.name)) objects.push(this.emitterOf(pod));

    // A writer that is not one of the cluster components keeps its name (containerd, systemd...).
    const writer = component === 'other' ? writerName(rec.hints, this.opts.hints, this.opts.file) : undefined;
    const event: KEvent = {
      seq: this.opts.nextSeq(),
      time,
      component,
      severity: result.severity,
      message: result.message,
      fields: writer && result.fields[WRITER_FIELD] === undefined ? { ...result.fields, [WRITER_FIELD]: writer } : result.fields,
      objects,
      source: {
        file: this.opts.file,
        line: rec.firstLine,
        endLine: p.lastLine,
        format: this.sourceFormat(format),
      },
      raw: p.moreRaws ? [p.raw, ...p.moreRaws].join('\n') : p.raw,
      format,
    };
    if (inferred) event.timeInferred = inferred;
    if (rec.time !== undefined && rec.time !== time) event.envelopeTime = rec.time;
    const host = rec.hints.host ?? result.host ?? this.opts.hints.host;
    if (host) event.host = host;
    if (result.verbosity !== undefined) event.verbosity = result.verbosity;
    if (result.caller) event.caller = result.caller;
    if (p.truncated) event.truncated = true;
    this.spare = p;

    if (format === 'unknown') this.stats.unrecognized++;
    else this.stats.events++;
    this.stats.formats[format] = (this.stats.formats[format] ?? 0) + 1;
    this.stats.components[component] = (this.stats.components[component] ?? 0) + 1;

    if (format === 'unknown' && this.preambleOpen && !this.seenRecognized) {
      this.preamble.push(event);
      if (this.preamble.length >= PREAMBLE_MAX_LINES) this.releasePreamble(out, false);
      return;
    }
    if (format !== 'unknown' && format !== 'plain' && !this.seenRecognized) {
      this.seenRecognized = true;
      if (this.preamble.length) this.releasePreamble(out, true);
    }
    out.push(event);
  }
}

/** A writer's name as envelopes give it: short, lowercase-ish, no spaces (a journald identifier, a container). */
const WRITER_NAME = /^[A-Za-z0-9][\w.@-]{0,62}$/;

/**
 * The name of a line's writer when it is none of the cluster components: the journald identifier
 * (or compose service, minikube section), else the container, else a known writer's file name.
 */
function writerName(own: SourceHints, place: SourceHints, file: string): string | undefined {
  for (const name of [own.identifier, own.pod?.container, place.identifier, place.pod?.container]) {
    if (name && WRITER_NAME.test(name)) return name;
  }
  const base = basename(file).replace(/(?:\.log)?(?:\.\d+)?(?:\.gz)?$/, '');
  return base && WRITER_NAME.test(base) && componentFromName(base) === 'other' ? base : undefined;
}
