/**
 * The payload registry, in detection order. Each line is offered first to the parser that read
 * the previous line of its source (streams are mostly of one format), then to these in order;
 * the stricter shapes come first. Adding a format is its module (the parser, its samples, and its
 * name added to the model's ParsedFormats) and its line here: the list of names is derived below.
 */
import { UNPARSED_FORMATS, type PayloadFormat } from '../../src/model/event.js';
import type { DocumentParser, PayloadParser } from '../types.js';
import { auditParser } from './audit.js';
import { klogJsonParser } from './klog-json.js';
import { etcdZapParser } from './etcd-zap.js';
import { klogParser } from './klog.js';
import { etcdCapnslogParser } from './etcd-capnslog.js';
import { corednsParser } from './coredns.js';
import { logfmtParser } from './logfmt.js';
import { k8sEventDocument, k8sEventLineParser } from './k8s-event.js';

export const PAYLOADS: readonly PayloadParser[] = [
  klogParser,
  auditParser,
  klogJsonParser,
  etcdZapParser,
  etcdCapnslogParser,
  corednsParser,
  k8sEventLineParser,
  logfmtParser,
];

export const DOCUMENTS: readonly DocumentParser[] = [k8sEventDocument];

/** Every format an event can carry: the registered parsers' (in registry order), then the assembled ones. */
export const PAYLOAD_FORMATS: readonly PayloadFormat[] = [...new Set([...PAYLOADS, ...DOCUMENTS].map((p) => p.format)), ...UNPARSED_FORMATS];
