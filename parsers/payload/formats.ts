/**
 * The payload formats' names, beside the registry (index.ts) that lists their parsers. It imports
 * nothing, so that the model (src/model/event.ts, whose KEvent.format is a PayloadFormat) can take
 * the names from here: importing the registry itself would make the model import the parsers,
 * which import the model (test/import-cycles.test.ts forbids even a type-only cycle).
 * test/parsers/payload/samples.test.ts fails, naming it, on a format registered in index.ts and
 * missing here, or named here with no parser.
 */
export const PARSED_FORMATS = [
  'klog',
  'klog-json',
  'etcd-zap',
  'etcd-capnslog',
  'coredns',
  'audit',
  'k8s-event',
  'logfmt', // time="..." level=... msg="..." (containerd, docker compose, kindnet's go-logr)
] as const;

/** Formats no parser registers: assembled, not parsed. */
export const UNPARSED_FORMATS = [
  'plain', // free text from a known non-cluster writer (systemd, containerd under journald, kindnet...)
  'unknown', // no parser recognized the line
] as const;

export const PAYLOAD_FORMATS = [...PARSED_FORMATS, ...UNPARSED_FORMATS] as const;
export type PayloadFormat = (typeof PAYLOAD_FORMATS)[number];
