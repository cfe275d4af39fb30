/**
 * Contracts between the ingest pipeline (src/ingest) and the parsers in this folder.
 *
 * A physical line goes: framing -> Line -> envelope reader -> EnvelopeRecord -> (folding) ->
 * payload parser -> PayloadResult -> the pipeline assembles a KEvent (src/model/event.ts).
 * Parsers never touch files, never resolve klog's missing year and never assign seq numbers:
 * they turn text into structure, and the pipeline does the rest.
 */
import type { Component, EventContent, PayloadFormat } from '../src/model/event.js';

/** One physical line, as cut by the framing stage. */
export interface Line {
  /** Decoded text without its terminator (\n or \r\n). */
  text: string;
  /** 1-based line number in its file. */
  no: number;
  /** The line was longer than the framing limit and was cut. */
  truncated?: boolean;
  /** NUL characters the framing took out of the line (zero fill left by a crash). */
  nuls?: number;
}

/** Which pod/container a record belongs to, when the envelope or the path says so. */
export interface PodHint {
  namespace?: string;
  name: string;
  uid?: string;
  container?: string;
}

/** What the envelope (or the file's place in a bundle) tells about a record. */
export interface SourceHints {
  component?: Component;
  host?: string;
  pod?: PodHint;
  /** journald SYSLOG_IDENTIFIER, compose service, minikube section name, kubectl prefix... */
  identifier?: string;
  pid?: number;
}

export interface EnvelopeRecord {
  /**
   * 'record': carries a payload that becomes an event (or folds into one).
   * 'meta': a line of the envelope itself that carries no event (a minikube section header,
   * `-- Logs begin at ... --`, `==== START logs for ... ====`); counted as set aside.
   */
  kind: 'record' | 'meta';
  /** The payload text, envelope removed. For CRI P..F and docker split records, joined. */
  text: string;
  /** The envelope's timestamp, epoch microseconds UTC, when it has one. */
  time?: number;
  /** True when the envelope time itself needed the year to be inferred (journald short). */
  timeYearInferred?: boolean;
  stream?: 'stdout' | 'stderr';
  hints: SourceHints;
  /** Physical lines consumed, inclusive (several for CRI partials and docker split records). */
  firstLine: number;
  lastLine: number;
  /**
   * Physical lines this record consumed, when fewer than its span (a CRI P..F run with the other
   * stream's records interleaved inside it: those lines belong to their own records).
   */
  physicalLines?: number;
  /** The original physical lines, envelope included, joined with "\n". */
  raw: string;
  truncated?: boolean;
}

export interface EnvelopeContext {
  /** Display name of the file ("-" for stdin). */
  file: string;
  /** Hints the file's place gives (bundle node folder, pods/ path, file name). */
  hints: SourceHints;
  /**
   * A time near the log's (file mtime, or now for stdin), epoch microseconds: the reference
   * for envelopes without a year (journald short).
   */
  referenceTime: number;
}

/** A stateful reader for one envelope over one source. */
export interface EnvelopeReader {
  /** Feed one physical line; returns the records it completes (possibly none while buffering). */
  push(line: Line): EnvelopeRecord[];
  /** End of input: returns what is still buffered (an unterminated CRI P run, say). */
  end(): EnvelopeRecord[];
}

/**
 * The envelopes' names, a key each. This module names none of them: each envelope module
 * (parsers/envelope/*.ts) adds its own by augmenting this interface
 * (`declare module '../types.js' { interface EnvelopeNames { cri: true } }`), so a new envelope
 * is its module and its registry line (parsers/envelope/index.ts), as a payload format is.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- empty here on purpose: the envelope modules fill it (see above)
export interface EnvelopeNames {}

export type EnvelopeName = keyof EnvelopeNames;

export interface EnvelopeParser {
  name: EnvelopeName;
  /**
   * Lines of this envelope as real collectors write them: detection must pick this envelope for
   * them, and no other envelope may score them as high (test/parsers/envelope/samples.test.ts).
   */
  samples?: readonly string[];
  /**
   * This envelope may frame a nested part (a minikube section, a cluster-info block): the registry
   * hands the nestable envelopes to the container-of-containers envelopes (parsers/envelope/index.ts).
   */
  nestable?: boolean;
  /**
   * How many of these sample lines (the first non-empty lines of a source, up to ~50) look like
   * this envelope. The registry picks the envelope with the highest count (ties: registry order).
   */
  score(sample: string[]): number;
  create(ctx: EnvelopeContext): EnvelopeReader;
}

/** A klog header's time: no year and no zone. The pipeline resolves it (src/ingest/time.ts). */
export interface PartialTime {
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  micros: number;
}

export interface PayloadResult extends EventContent {
  format: PayloadFormat;
  /** Absolute time from the payload, epoch microseconds UTC. */
  time?: number;
  /** klog-style time without a year; the pipeline resolves it against the envelope's time. */
  partialTime?: PartialTime;
  /** The payload's time had an explicit offset or Z (false for klog's local time). */
  hasZone?: boolean;
  /** What the content says about the writer (etcd signature, klog caller file); envelope wins. */
  component?: Component;
  pid?: number;
  /** A host named by the content (audit sourceIPs never; events source.host yes). */
  host?: string;
}

export interface PayloadContext {
  /** The component the envelope named, if any: parsers may use it to pick object patterns. */
  component?: Component;
}

/**
 * A real event of a payload format, as lnav's format files carry samples: the owning parser must
 * match and parse it as `expect` says, and no other payload parser may claim it
 * (test/parsers/payload/samples.test.ts).
 */
export interface PayloadSample {
  /** The payload text (envelope removed); continuation lines joined with "\n". */
  text: string;
  /** Where the line comes from (a ../shared/corpus path, or why it is not from the corpus). */
  from: string;
  /** The parse the sample must give; keys left out of `fields` are not checked. */
  expect: Pick<PayloadResult, 'severity' | 'message'> & Partial<Pick<PayloadResult, 'fields' | 'component' | 'objects'>>;
}

export interface PayloadParser {
  format: PayloadFormat;
  /** Real events of this format with their expected parse (see PayloadSample). */
  samples?: readonly PayloadSample[];
  /**
   * Many programs write this format (logfmt: containerd, dockerd, kindnet), so a line of it that
   * names no component is not taken for the last component its source named.
   */
  sharedByWriters?: boolean;
  /** Cheap test: does this text start an event of this format? */
  matches(text: string): boolean;
  /**
   * Does `text` (which starts no event of any format) continue the pending event whose lines so
   * far are `pending` (pending[0] is the header line)? Absent: this format never folds.
   */
  continues?(text: string, pending: readonly string[]): boolean;
  /** Parse one event: lines[0] matched, the rest are its continuation lines. */
  parse(lines: readonly string[], ctx: PayloadContext): PayloadResult;
}

/**
 * A format that spans a whole document rather than lines (a Kubernetes EventList in JSON or
 * YAML). Given a source's lines it yields one item per event, with the lines each covers.
 */
export interface DocumentItem {
  result: PayloadResult;
  firstLine: number;
  lastLine: number;
  raw: string;
}

export interface DocumentParser {
  format: PayloadFormat;
  /** Look at the start of a file (its first ~4 KiB of text) and its name. */
  detect(head: string, fileName: string): boolean;
  /**
   * Consume lines; return the items they complete. Lines outside any item (the list's own
   * apiVersion/kind/metadata, brackets) are reported through `setAside`.
   */
  create(): DocumentReader;
}

export interface DocumentReader {
  push(line: Line): DocumentItem[];
  end(): DocumentItem[];
  /** Number of lines consumed that belong to no item. */
  readonly setAside: number;
}
