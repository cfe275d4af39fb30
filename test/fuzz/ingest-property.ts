/**
 * The ingest fuzz property, shared by `npm test` (test/src/ingest/run.fuzz.test.ts: a fixed seed,
 * a few runs) and `npm run fuzz` (test/fuzz/run.ts: many runs, prints the cases).
 *
 * Each case is one to three log files: payloads of every format ktrail reads (klog text and
 * JSON, etcd zap and capnslog, CoreDNS, audit, logfmt, free text, and real lines from
 * ../shared/corpus when it is there), wrapped in one envelope per file (CRI with partial records,
 * Docker json-file with split records, journald short/iso/precise and -o json (also newest
 * first), minikube sections, RFC 3339 and
 * kubectl/compose prefixes, or none; or a mix of them in one file; or EventList documents in JSON
 * or YAML), then mutated: lines cut, spliced, NULs, invalid UTF-8,
 * CRLF, a line longer than the line limit, impossible or wrong years, whole files gzipped,
 * UTF-16 with a BOM, NULs in front. The files go through the real read path (openEventStream:
 * discovery, framing, envelope detection, payload parsers, assembly, merge) and the property is
 * that nothing throws or hangs and every source's accounting balances:
 *   linesRead = events + folded + unrecognized + setAside,
 * the events that come out are the recognized and unrecognized ones, and for a plain file (not
 * gzip, not UTF-16) linesRead is the number of lines in its bytes.
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { stringify as stringifyYaml } from 'yaml';
import { openEventStream } from '../../src/ingest/run.js';
import type { SourceStats } from '../../src/ingest/stats.js';
import { corpusDir } from '../helpers/paths.js';

/** The line limit the property reads with: small, so that over-long lines are cheap to make. */
export const MAX_LINE_BYTES = 4096;

// ---------------------------------------------------------------------------------------------
// Payloads

const word = fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/);
const text = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.array(word, { minLength: 1, maxLength: 8 }).map((w) => w.join(' ')),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
);
/** Years from the plausible to the impossible: the "wrong years" mutation lives in the times. */
const year = fc.oneof({ weight: 4, arbitrary: fc.constant(2025) }, fc.integer({ min: 0, max: 9999 }));
const pad = (n: number, w: number) => String(n).padStart(w, '0');
const dateTime = fc
  .record({
    y: year,
    mo: fc.integer({ min: 0, max: 13 }),
    d: fc.integer({ min: 0, max: 32 }),
    h: fc.integer({ min: 0, max: 25 }),
    mi: fc.integer({ min: 0, max: 61 }),
    s: fc.integer({ min: 0, max: 61 }),
    us: fc.integer({ min: 0, max: 999_999 }),
  })
  .map((t) => ({ ...t, iso: `${pad(t.y, 4)}-${pad(t.mo, 2)}-${pad(t.d, 2)}T${pad(t.h, 2)}:${pad(t.mi, 2)}:${pad(t.s, 2)}.${pad(t.us, 6)}Z` }));
const kv = fc.array(fc.tuple(word, fc.oneof(word, fc.string({ maxLength: 20 }).map((s) => JSON.stringify(s)), fc.integer().map(String))), { maxLength: 4 });
const objectRef = fc.tuple(word, word).map(([ns, n]) => `${ns}/${n}`);

const klogText = fc
  .tuple(fc.constantFrom('I', 'W', 'E', 'F'), dateTime, fc.integer({ min: 1, max: 99999 }), word, fc.nat(999), text, kv, objectRef)
  .map(([l, t, pid, file, line, msg, pairs, pod]) => {
    const head = `${l}${pad(t.mo, 2)}${pad(t.d, 2)} ${pad(t.h, 2)}:${pad(t.mi, 2)}:${pad(t.s, 2)}.${pad(t.us, 6)} ${pid} ${file}.go:${line}]`;
    return `${head} ${JSON.stringify(msg)} pod="${pod}"${pairs.map(([k, v]) => ` ${k}=${v}`).join('')}`;
  });
const klogBlock = fc.tuple(klogText, fc.array(fc.string({ maxLength: 30 }), { maxLength: 3 })).map(([h, body]) => [
  h.replace(/$/, ' obj=<'),
  ...body.map((b) => `\t${b}`),
  ' >',
]);
const klogJson = fc.tuple(dateTime, text, fc.constantFrom(0, 2, 4), objectRef).map(([t, msg, v, pod]) =>
  JSON.stringify({ ts: t.y * 1e6 + t.us / 1e6, caller: 'app/x.go:12', msg, v, pod }),
);
const etcdZap = fc.tuple(fc.constantFrom('debug', 'info', 'warn', 'error', 'panic'), dateTime, text, word).map(([level, t, msg, k]) =>
  JSON.stringify({ level, ts: t.iso, caller: 'etcdserver/server.go:1', msg, [k]: 'v', took: '469.7ms' }),
);
const capnslog = fc.tuple(dateTime, fc.constantFrom('I', 'W', 'E', 'N'), word, text).map(([t, l, pkg, msg]) =>
  `${pad(t.y, 4)}-${pad(t.mo, 2)}-${pad(t.d, 2)} ${pad(t.h, 2)}:${pad(t.mi, 2)}:${pad(t.s, 2)}.${pad(t.us, 6)} ${l} | ${pkg}: ${msg}`,
);
const coredns = fc.oneof(
  fc.tuple(fc.ipV4(), fc.nat(65535), word, fc.constantFrom('A', 'AAAA', 'SRV'), fc.constantFrom('NOERROR', 'NXDOMAIN', 'SERVFAIL')).map(
    ([ip, port, name, qt, rc]) => `[INFO] ${ip}:${port} - ${port} "${qt} IN ${name}.default.svc.cluster.local. udp 40 false 512" ${rc} qr,aa,rd 106 0.000123s`,
  ),
  text.map((t) => `[ERROR] plugin/errors: 2 ${t}. A: read udp 10.0.0.1:1->10.0.0.2:53: i/o timeout`),
);
const audit = fc.tuple(dateTime, fc.constantFrom('get', 'list', 'create', 'delete', 'watch'), word, word, fc.integer({ min: 100, max: 599 })).map(
  ([t, verb, ns, name, code]) =>
    JSON.stringify({
      kind: 'Event',
      apiVersion: 'audit.k8s.io/v1',
      level: 'Metadata',
      auditID: `${name}-${code}`,
      stage: 'ResponseComplete',
      requestURI: `/api/v1/namespaces/${ns}/pods/${name}`,
      verb,
      user: { username: 'system:admin' },
      objectRef: { resource: 'pods', namespace: ns, name, apiVersion: 'v1' },
      responseStatus: { code },
      requestReceivedTimestamp: t.iso,
      stageTimestamp: t.iso,
    }),
);
const logfmt = fc.tuple(dateTime, fc.constantFrom('info', 'warning', 'error'), text).map(
  ([t, level, msg]) => `time="${t.iso}" level=${level} msg=${JSON.stringify(msg)}`,
);

/** A Kubernetes Event, for EventList documents (JSON or YAML files, read by the document scanner). */
const k8sEvent = fc
  .tuple(dateTime, fc.constantFrom('Normal', 'Warning'), fc.constantFrom('BackOff', 'Pulled', 'FailedScheduling', 'Killing'), text, word, word, fc.nat(50))
  .map(([t, type, reason, message, ns, name, count]) => ({
    apiVersion: 'v1',
    kind: 'Event',
    count,
    type,
    reason,
    message,
    firstTimestamp: t.iso.replace(/\.\d+Z$/, 'Z'),
    lastTimestamp: t.iso.replace(/\.\d+Z$/, 'Z'),
    involvedObject: { kind: 'Pod', namespace: ns, name, uid: `${name}-uid` },
    metadata: { name: `${name}.17f`, namespace: ns, uid: `${name}-${count}` },
    source: { component: 'kubelet', host: 'node-1' },
  }));
const eventList = fc.tuple(fc.array(k8sEvent, { maxLength: 8 }), fc.boolean()).map(([items, asYaml]) => {
  const doc = { apiVersion: 'v1', kind: 'EventList', items };
  return (asYaml ? `---\n${stringifyYaml(doc)}` : JSON.stringify(doc, null, 2)).split('\n');
});

/** Real lines from the corpus (when it is there): a few hundred from each folder. */
async function corpusLines(): Promise<string[]> {
  if (!corpusDir) return [];
  const out: string[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    for (const d of (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(dir, d.name);
      if (d.isDirectory() && depth < 4) await walk(p, depth + 1);
      else if (d.isFile() && /\.(log|json|txt|yaml)$/.test(d.name)) {
        const lines = (await readFile(p, 'utf8')).split('\n').slice(0, 40);
        out.push(...lines.filter((l) => l.length > 0 && l.length < 2000));
      }
    }
  };
  await walk(corpusDir, 0);
  return out;
}

function payloadGroup(real: string[]): fc.Arbitrary<string[]> {
  const one = (a: fc.Arbitrary<string>) => a.map((l) => [l]);
  const choices = [one(klogText), klogBlock, one(klogJson), one(etcdZap), one(capnslog), one(coredns), one(audit), one(logfmt), one(text)];
  if (real.length > 0) choices.push(one(fc.constantFrom(...real)), one(fc.constantFrom(...real)));
  return fc.oneof(...choices);
}

// ---------------------------------------------------------------------------------------------
// Envelopes: each wraps one payload line into one or more physical lines

type Envelope = (payload: string, t: { iso: string; y: number; mo: number; d: number; h: number; mi: number; s: number; us: number }, split: number) => string[];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const clock = (t: { h: number; mi: number; s: number }) => `${pad(t.h, 2)}:${pad(t.mi, 2)}:${pad(t.s, 2)}`;
const cut = (s: string, n: number): string[] => {
  if (n <= 1 || s.length < 2) return [s];
  const size = Math.ceil(s.length / n);
  const parts: string[] = [];
  for (let i = 0; i < s.length; i += size) parts.push(s.slice(i, i + size));
  return parts;
};

export const ENVELOPES: Record<string, Envelope> = {
  none: (p) => [p],
  cri: (p, t, split) => {
    const parts = cut(p, split);
    return parts.map((part, i) => `${t.iso.replace('Z', '123Z')} stderr ${i === parts.length - 1 ? 'F' : 'P'} ${part}`);
  },
  docker: (p, t, split) => {
    const parts = cut(p, split);
    return parts.map((part, i) => JSON.stringify({ log: part + (i === parts.length - 1 ? '\n' : ''), stream: 'stderr', time: t.iso }));
  },
  journaldShort: (p, t) => [`${MONTHS[t.mo % 12]} ${pad(t.d, 2)} ${clock(t)} node-1 kubelet[704]: ${p}`],
  journaldIso: (p, t) => [`${t.iso.slice(0, 19)}+0000 node-1 kubelet[704]: ${p}`],
  journaldPrecise: (p, t) => [`${MONTHS[t.mo % 12]} ${pad(t.d, 2)} ${clock(t)}.${pad(t.us, 6)} node-1 kubelet[704]: ${p}`],
  journaldJson: (p, t) => [
    JSON.stringify({ __REALTIME_TIMESTAMP: String(Math.max(0, t.y - 1970) * 31_536_000_000_000 + t.us), _HOSTNAME: 'node-1', SYSLOG_IDENTIFIER: 'kubelet', MESSAGE: p, PRIORITY: '6' }),
  ],
  rfc3339: (p, t) => [`${t.iso} ${p}`],
  kubectlPrefix: (p) => [`[pod/web-1/app] ${p}`],
  compose: (p) => [`kube-proxy-1  | ${p}`],
};

// ---------------------------------------------------------------------------------------------
// Mutations: on the physical lines, then on the file's bytes

type LineMutation = (lines: string[], at: number, n: number) => string[];
const LINE_MUTATIONS: Record<string, LineMutation> = {
  cutLine: (ls, at, n) => ls.map((l, i) => (i === at ? l.slice(0, n % (l.length + 1)) : l)),
  splice: (ls, at, n) => {
    if (ls.length < 2) return ls;
    const a = ls[at]!;
    const b = ls[(at + 1 + n) % ls.length]!;
    const out = [...ls];
    out.splice(at, 1, a.slice(0, n % (a.length + 1)) + b.slice(n % (b.length + 1)));
    return out;
  },
  nul: (ls, at, n) => ls.map((l, i) => (i === at ? l.slice(0, n % (l.length + 1)) + '\0'.repeat(1 + (n % 3)) + l.slice(n % (l.length + 1)) : l)),
  huge: (ls, at, n) => ls.map((l, i) => (i === at ? l + 'x'.repeat(MAX_LINE_BYTES + 1 + (n % 5000)) : l)),
  blank: (ls, at) => [...ls.slice(0, at), '', '   ', ...ls.slice(at)],
  drop: (ls, at) => ls.filter((_, i) => i !== at),
  duplicate: (ls, at) => [...ls.slice(0, at + 1), ...ls.slice(at)],
  // Newest first, as `journalctl -r` writes (read backwards when detected).
  reverse: (ls) => [...ls].reverse(),
  // `minikube logs` sections: a header in front and one in the middle.
  sections: (ls, at, n) => [
    `==> ${n % 2 ? 'kubelet' : 'etcd [0a1b2c]'} <==`,
    ...ls.slice(0, at),
    '==> kube-apiserver [9f8e7d] <==',
    ...ls.slice(at),
  ],
};

type ByteMutation = (bytes: Buffer, n: number) => Buffer;
const BYTE_MUTATIONS: Record<string, ByteMutation> = {
  invalidUtf8: (b, n) => insertAt(b, n, Buffer.from([0xff, 0xc3, 0x28, 0xe2, 0x82])),
  crlf: (b) => Buffer.from(b.toString('latin1').replace(/\n/g, '\r\n'), 'latin1'),
  leadingNuls: (b, n) => Buffer.concat([Buffer.alloc(1 + (n % 64)), b]),
  noFinalNewline: (b) => (b.length > 0 && b[b.length - 1] === 0x0a ? b.subarray(0, b.length - 1) : b),
  truncate: (b, n) => b.subarray(0, n % (b.length + 1)),
  loneCr: (b, n) => insertAt(b, n, Buffer.from('\r')),
  utf8Bom: (b) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), b]),
};
/** Encodings that change what a line is in bytes: the line count is not checked for these. */
const ENCODINGS = ['plain', 'plain', 'plain', 'gzip', 'utf16le', 'utf16be', 'gzipTruncated'] as const;

function insertAt(b: Buffer, n: number, what: Buffer): Buffer {
  const at = b.length === 0 ? 0 : n % b.length;
  return Buffer.concat([b.subarray(0, at), what, b.subarray(at)]);
}

// ---------------------------------------------------------------------------------------------
// Cases

export interface FuzzFile {
  envelope: string;
  lineMutations: [string, number, number][];
  byteMutations: [string, number][];
  encoding: (typeof ENCODINGS)[number];
  /** The physical lines before byte mutations (for printing a case). */
  lines: string[];
  bytes: Buffer;
}

function fileArbitrary(real: string[]): fc.Arbitrary<FuzzFile> {
  return fc
    .record({
      // 'mixed': every group in an envelope of its own, so detection sees a file that fits none well.
      envelope: fc.constantFrom(...Object.keys(ENVELOPES), 'mixed'),
      groups: fc.array(fc.tuple(payloadGroup(real), dateTime, fc.integer({ min: 1, max: 3 }), fc.constantFrom(...Object.keys(ENVELOPES))), {
        minLength: 0,
        maxLength: 25,
      }),
      lineMutations: fc.array(fc.tuple(fc.constantFrom(...Object.keys(LINE_MUTATIONS)), fc.nat(), fc.nat()), { maxLength: 3 }),
      byteMutations: fc.array(fc.tuple(fc.constantFrom(...Object.keys(BYTE_MUTATIONS)), fc.nat()), { maxLength: 2 }),
      encoding: fc.constantFrom(...ENCODINGS),
      // Sometimes the file is an EventList document (JSON or YAML) instead of lines in an envelope.
      document: fc.oneof({ weight: 5, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: eventList }),
    })
    .map(({ envelope, groups, lineMutations, byteMutations, encoding, document }) => {
      let lines = document
        ? document
        : groups.flatMap(([payloads, t, split, own]) => payloads.flatMap((p) => ENVELOPES[envelope === 'mixed' ? own : envelope]!(p, t, split)));
      if (document) envelope = 'eventList';
      for (const [m, at, n] of lineMutations) if (lines.length > 0) lines = LINE_MUTATIONS[m]!(lines, at % lines.length, n);
      let bytes: Buffer = Buffer.from(lines.length ? lines.join('\n') + '\n' : '', 'utf8');
      for (const [m, n] of byteMutations) bytes = BYTE_MUTATIONS[m]!(bytes, n);
      if (encoding === 'gzip') bytes = gzipSync(bytes);
      else if (encoding === 'gzipTruncated') bytes = gzipSync(bytes).subarray(0, Math.max(10, Math.floor(bytes.length / 3)));
      else if (encoding === 'utf16le') bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(bytes.toString('utf8'), 'utf16le')]);
      else if (encoding === 'utf16be') bytes = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(bytes.toString('utf8'), 'utf16le').swap16()]);
      return { envelope, lineMutations, byteMutations, encoding, lines, bytes };
    });
}

export async function caseArbitrary(): Promise<fc.Arbitrary<FuzzFile[]>> {
  const real = await corpusLines();
  return fc.array(fileArbitrary(real), { minLength: 1, maxLength: 3 });
}

/**
 * Lines in a plain file's bytes, as framing counts them: \n ends a line; a last unterminated one
 * counts; a UTF-8 BOM is not content (a file of a BOM alone has no line).
 */
export function physicalLines(raw: Buffer): number {
  const bytes = raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf ? raw.subarray(3) : raw;
  let n = 0;
  for (const b of bytes) if (b === 0x0a) n++;
  return bytes.length > 0 && bytes[bytes.length - 1] !== 0x0a ? n + 1 : n;
}

export interface CaseResult {
  stats: SourceStats[];
  emitted: number;
  errors: string[];
}

/** Writes the files into `dir` and reads them through the real read path. */
export async function readCase(dir: string, files: FuzzFile[]): Promise<CaseResult> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const paths: string[] = [];
  for (const [i, f] of files.entries()) {
    const p = join(dir, `f${i}-${f.envelope}${f.encoding.startsWith('gzip') ? '.log.gz' : '.log'}`);
    await writeFile(p, f.bytes);
    paths.push(p);
  }
  const errors: string[] = [];
  const stream = await openEventStream(paths, undefined, { maxLineBytes: MAX_LINE_BYTES, onError: (f, m) => errors.push(`${f}: ${m}`) });
  let emitted = 0;
  for await (const batch of stream.events) emitted += batch.length;
  return { stats: stream.stats, emitted, errors };
}

/** The property's checks; returns what is wrong (empty when the case holds). */
export function checkCase(files: FuzzFile[], r: CaseResult): string[] {
  const wrong: string[] = [];
  let recognized = 0;
  for (const s of r.stats) {
    const sum = s.events + s.folded + s.unrecognized + s.setAside;
    if (s.linesRead !== sum) {
      wrong.push(`${s.file}: linesRead ${s.linesRead} != events ${s.events} + folded ${s.folded} + unrecognized ${s.unrecognized} + setAside ${s.setAside}`);
    }
    recognized += s.events + s.unrecognized;
  }
  if (recognized !== r.emitted) wrong.push(`events emitted ${r.emitted} != events + unrecognized ${recognized}`);
  files.forEach((f, i) => {
    if (f.encoding !== 'plain') return;
    const s = r.stats.find((x) => x.file.includes(`f${i}-`));
    const want = physicalLines(f.bytes);
    if (s && s.linesRead !== want) wrong.push(`${s.file}: linesRead ${s.linesRead}, but the file has ${want} lines`);
  });
  return wrong;
}

/** A case in a form a person can read back (and paste into a test). */
export function describeCase(files: FuzzFile[]): string {
  return files
    .map((f, i) => {
      const shown = f.bytes.length > 600 ? `${JSON.stringify(f.bytes.subarray(0, 600).toString('latin1'))}... (${f.bytes.length} bytes)` : JSON.stringify(f.bytes.toString('latin1'));
      return `file ${i}: envelope ${f.envelope}, encoding ${f.encoding}, line mutations ${JSON.stringify(f.lineMutations)}, byte mutations ${JSON.stringify(f.byteMutations)}\n  bytes (latin1): ${shown}`;
    })
    .join('\n');
}
