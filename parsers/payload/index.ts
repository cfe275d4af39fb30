/**
 * The payload registry, in detection order. Each line is offered first to the parser that read
 * the previous line of its source (streams are mostly of one format), then to these in order;
 * the stricter shapes come first. A format's name also goes in formats.ts beside this (the model
 * reads the names from there; test/parsers/payload/samples.test.ts holds the two equal).
 */
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
