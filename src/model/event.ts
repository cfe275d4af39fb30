/**
 * The event model: every log line of every component, whatever its envelope and payload, becomes
 * one `KEvent`. Everything downstream (store, correlator, TUI, CI reports) reads only this shape.
 */
export const COMPONENTS = [
  'etcd',
  'kube-apiserver',
  'kube-scheduler',
  'kube-controller-manager',
  'kube-proxy',
  'coredns',
  'kubelet',
  'audit',
  'event',
  'other',
] as const;
export type Component = (typeof COMPONENTS)[number];

/** The seven cluster components whose logs count towards "component-log lines". */
export const CLUSTER_COMPONENTS: readonly Component[] = COMPONENTS.slice(0, 7);

export function isComponent(value: string): value is Component {
  return (COMPONENTS as readonly string[]).includes(value);
}

export const SEVERITIES = ['debug', 'info', 'warn', 'error', 'fatal'] as const;
export type Severity = (typeof SEVERITIES)[number];

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** pino's numeric levels, used by the NDJSON output. */
export const PINO_LEVEL: Record<Severity, number> = { debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };

/** Where an object reference was found, so that the correlator can weigh it. */
export type RefVia =
  | 'field' // a structured key such as pod="ns/name", podUID=..., object=...
  | 'message' // a pattern in free text ("Created pod: x", "pod ns/x is bound")
  | 'path' // the file path (kind pods/<ns>_<pod>_<uid>/, containers/<pod>_<ns>_...)
  | 'envelope' // kubectl --prefix, cluster-info dump section
  | 'etcd-key' // /registry/<resource>/...
  | 'uri' // apiserver request URI
  | 'dns' // CoreDNS query name
  | 'audit' // audit objectRef / responseObject
  | 'event'; // Kubernetes Event involvedObject / regarding

export interface ObjectRef {
  /** Kubernetes kind, capitalized as the API does: Pod, Node, ReplicaSet, Service... */
  kind: string;
  namespace?: string;
  name?: string;
  uid?: string;
  via: RefVia;
  /** The key or pattern that produced it (e.g. "pod", "podUID", "objectRef"). */
  key?: string;
}

/** What had to be guessed to place the event in time. */
export type TimeInferred =
  | 'year' // klog's header has no year: taken from a reference (envelope, file, previous event)
  | 'year-guessed' // no reference at all: the current year (or the last one, if that would be in the future)
  | 'zone' // local time with no offset anywhere: read as UTC
  | 'envelope' // the payload has no time of its own (CoreDNS): the envelope's is used
  | 'previous' // no time anywhere on the line: the previous event's time is used
  | 'none'; // nothing at all (a stream of bare lines before any timed one): time 0

export interface EventSource {
  /** The file as given or found (a bundle-relative path where the input is a bundle), or "-" for stdin. */
  file: string;
  /** 1-based line number of the event's first physical line in that file. */
  line: number;
  /** Last physical line the event covers (folded continuations, CRI P records). */
  endLine: number;
  /** envelope/payload, e.g. "cri/klog", "journald-short/klog", "none/etcd-zap". */
  format: string;
}

/** What a line says, as its payload parser reads it: the parse result (PayloadResult) and the event share it. */
export interface EventContent {
  severity: Severity;
  verbosity?: number;
  caller?: string;
  message: string;
  fields: Record<string, unknown>;
  objects: ObjectRef[];
}

export interface KEvent extends EventContent {
  /** Order of arrival, stable, unique within one run. */
  seq: number;
  /** Epoch microseconds, UTC. */
  time: number;
  timeInferred?: TimeInferred;
  /** The envelope's own timestamp in epoch microseconds when there is one (kept beside the payload's). */
  envelopeTime?: number;
  component: Component;
  host?: string;
  source: EventSource;
  /** The original text, envelope included; continuation lines joined with "\n". */
  raw: string;
  /** Payload format that recognized it; "unknown" when none did. */
  format: PayloadFormat;
  /**
   * Set when a line was cut: longer than the framing limit, or (follow mode) truncated by a
   * copytruncate rotation while half read, with no rotated copy found to read its rest from.
   */
  truncated?: boolean;
  /**
   * The cluster its input belongs to (`--cluster`, else the bundle's own name: see
   * src/ingest/cluster-name.ts); absent for input with no name (a file given by name, stdin).
   */
  cluster?: string;
}

/**
 * The formats the payload parsers recognize, a key each. The model names none of them: each parser
 * module (parsers/payload/*.ts) adds its own by augmenting this interface
 * (`declare module '../../src/model/event.js' { interface ParsedFormats { klog: true } }`), so a
 * new format is its module and its registry line, and the model imports no parser (the parsers
 * import the model: the other way round would be an import cycle, which
 * test/import-cycles.test.ts forbids even for types). The run-time list, PAYLOAD_FORMATS, is
 * derived from the registry (parsers/payload/index.ts).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- empty here on purpose: the parser modules fill it (see above)
export interface ParsedFormats {}

/** Formats no parser registers: assembled, not parsed. */
export const UNPARSED_FORMATS = [
  'plain', // free text from a known non-cluster writer (systemd, containerd under journald, kindnet...)
  'unknown', // no parser recognized the line
] as const;

export type PayloadFormat = keyof ParsedFormats | (typeof UNPARSED_FORMATS)[number];
