/**
 * etcd 3.4's default text logger (capnslog) and the raft library's own Go-log lines beside it:
 *   `2021-05-26 01:55:29.382834 I | etcdserver: published {...} to cluster c74448475845f0fb`
 *   `raft2021/05/26 01:55:29 INFO: e58c878e0e01014 became leader at term 2`
 * Neither carries a zone: the time is read as UTC and reported with hasZone false, so that the
 * pipeline prefers the envelope's when there is one. etcd also prints
 * `[WARNING] Deprecated '--logger=capnslog' flag is set; ...` at start-up, and the grpc library
 * inside it writes `WARNING: 2021/05/26 01:55:29 [core] grpc: ...` with its own Go logger, whichever
 * etcd logger is chosen; both are claimed here (the first so that it is not taken for CoreDNS).
 */
import type { ObjectRef, Severity } from '../../src/model/event.js';
import { parseRfc3339 } from '../../src/util/time.js';
import type { PayloadParser, PayloadSample, PayloadResult } from '../types.js';
import { enrichEtcdMessage, etcdParser } from './etcd-common.js';

// This format's name, added to the model's PayloadFormat (src/model/event.ts, ParsedFormats).
declare module '../../src/model/event.js' {
  interface ParsedFormats {
    'etcd-capnslog': true;
  }
}

const CAPNSLOG = /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}) ([IWENCDT]) \| /;
const RAFT = /^raft(\d{4})\/(\d\d)\/(\d\d) (\d\d:\d\d:\d\d) (INFO|WARN|ERROR|DEBUG|PANIC|FATAL): /;
const PACKAGE = /^([\w./-]{1,80}): /;
const DEPRECATED_LOGGER = "[WARNING] Deprecated '--logger=";
/** grpc-go's own default logger, which etcd 3.4 leaves writing to stderr: `WARNING: 2021/05/26 01:55:29 [core] grpc: ...`. */
const GRPC = /^(INFO|WARNING|ERROR|FATAL): (\d{4})\/(\d\d)\/(\d\d) (\d\d:\d\d:\d\d) /;

const CAPNSLOG_LEVELS: Record<string, Severity> = {
  I: 'info',
  N: 'info', // NOTICE
  W: 'warn',
  E: 'error',
  C: 'fatal', // CRITICAL: capnslog's Fatal and Panic
  D: 'debug',
  T: 'debug', // TRACE
};

const RAFT_LEVELS: Record<string, Severity> = {
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
  DEBUG: 'debug',
  PANIC: 'fatal',
  FATAL: 'fatal',
};

const GRPC_LEVELS: Record<string, Severity> = { INFO: 'info', WARNING: 'warn', ERROR: 'error', FATAL: 'fatal' };


function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function matches(text: string): boolean {
  const c = text.charCodeAt(0);
  if (isDigit(c)) return text.charCodeAt(4) === 45 /* - */ && CAPNSLOG.test(text);
  if (c === 114 /* r */) return text.startsWith('raft') && RAFT.test(text);
  if (c === 91 /* [ */) return text.startsWith(DEPRECATED_LOGGER);
  if (c === 73 /* I */ || c === 87 /* W */ || c === 69 /* E */ || c === 70 /* F */) return GRPC.test(text);
  return false;
}

function parse(lines: readonly string[]): PayloadResult {
  const text = lines[0] ?? '';
  const fields: Record<string, unknown> = {};
  const objects: ObjectRef[] = [];
  const result: PayloadResult = { format: 'etcd-capnslog', severity: 'info', message: text, fields, objects, component: 'etcd' };

  let m = CAPNSLOG.exec(text);
  if (m) {
    result.severity = CAPNSLOG_LEVELS[m[2]!] ?? 'info';
    setTime(result, m[1]!);
    let message = text.slice(m[0].length);
    const pkg = PACKAGE.exec(message);
    if (pkg) {
      fields['package'] = pkg[1]!;
      message = message.slice(pkg[0].length);
    }
    result.message = message;
  } else if ((m = RAFT.exec(text))) {
    result.severity = RAFT_LEVELS[m[5]!] ?? 'info';
    setTime(result, `${m[1]}-${m[2]}-${m[3]} ${m[4]}`);
    fields['package'] = 'raft';
    result.message = text.slice(m[0].length);
  } else if ((m = GRPC.exec(text))) {
    result.severity = GRPC_LEVELS[m[1]!] ?? 'info';
    setTime(result, `${m[2]}-${m[3]}-${m[4]} ${m[5]}`);
    fields['package'] = 'grpc';
    result.message = text.slice(m[0].length);
  } else if (text.startsWith(DEPRECATED_LOGGER)) {
    result.severity = 'warn';
    result.message = text.slice(10);
  }
  enrichEtcdMessage(result.message, fields, objects, false);
  if (lines.length > 1) fields['stack'] = lines.slice(1).join('\n');
  return result;
}

function setTime(result: PayloadResult, text: string): void {
  const t = parseRfc3339(text);
  if (t) {
    result.time = t.micros;
    result.hasZone = t.hasZone;
  }
}

function isCrash(header: string): boolean {
  return header.startsWith(' C | ', 26) || /^raft\S+ \S+ (?:PANIC|FATAL): /.test(header);
}

/** Real lines of this format and their expected parse (parsers/types.ts, PayloadSample). */
const SAMPLES: readonly PayloadSample[] = [
  {
    from: "no capnslog in the corpus: etcd 3.4's line (the shape of test/parsers/payload/etcd-capnslog.test.ts)",
    text: "2021-05-26 01:55:29.382834 I | etcdserver: published {Name:m1 ClientURLs:[http://127.0.0.1:2379]} to cluster c74448475845f0fb",
    expect: {severity:"info",message:"published {Name:m1 ClientURLs:[http://127.0.0.1:2379]} to cluster c74448475845f0fb",fields:{package:"etcdserver"},component:"etcd"},
  },
  {
    from: "no capnslog in the corpus: etcd 3.4's raft line (the shape of test/parsers/payload/etcd-capnslog.test.ts)",
    text: "raft2021/05/26 01:55:29 INFO: e58c878e0e01014 became leader at term 2",
    expect: {severity:"info",message:"e58c878e0e01014 became leader at term 2",fields:{package:"raft",raft:"became-leader",member:"e58c878e0e01014",term:2,leader:"e58c878e0e01014"},component:"etcd"},
  },
];

// A CRITICAL (fatal/panic) line is followed by Go's stack dump.
export const etcdCapnslogParser: PayloadParser = etcdParser('etcd-capnslog', SAMPLES, { matches, isCrash, parse });
