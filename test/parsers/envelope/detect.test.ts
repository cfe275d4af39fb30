import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { detectEnvelope } from '../../../parsers/envelope/detect.js';
import { ENVELOPES } from '../../../parsers/envelope/index.js';
import { corpus, corpusDir, corpusSkip } from '../../helpers/paths.js';
import { context, fileLines, linesConsumed, readAll, sampleOf } from './helpers.js';

test('detectEnvelope: each envelope from a few lines; none when nothing scores', () => {
  const table: [string, string[]][] = [
    ['cri', ['2025-03-21T14:51:23.344949051Z stderr F I0321 x', '2025-03-21T14:51:23.344949052Z stdout P y']],
    ['docker-json', ['{"log":"I0608 x\\n","stream":"stderr","time":"2021-06-08T18:48:23.45766111Z"}']],
    ['journald-json', ['{"__REALTIME_TIMESTAMP":"1621757240992141","_HOSTNAME":"n","MESSAGE":"x"}']],
    ['journald-precise', ['May 23 08:07:20.123456 n kubelet[1]: x']],
    ['journald-iso', ['2021-05-23T08:07:20+0000 n kubelet[1]: x']],
    ['journald-short', ['-- Logs begin at Tue 2021-05-25 10:00:00 UTC, end at Wed 2021-05-26 11:00:00 UTC. --', 'May 25 10:00:01 n kubelet[1]: x']],
    ['kubectl-prefix', ['[pod/coredns-6d4b75cb6d-gr6m2/coredns] [INFO] x']],
    // --prefix --timestamps: the prefix comes first, so it is the envelope
    ['kubectl-prefix', ['[pod/etcd-0/etcd] 2024-08-22T16:18:54.878997123Z {"level":"info"}']],
    ['compose', ['time="2024-08-22T18:19:08+02:00" level=warning msg="x"', 'kube-proxy-1  | I0822 x', 'kube-proxy-1  | I0822 y']],
    ['timestamp', ['2021-08-03T09:27:01.949552752Z {"level":"info"}']],
    ['minikube', ['==> Audit <==', '|---------|', '| start | x |']],
    ['cluster-info', ['{', '    "kind": "NodeList",', '    "apiVersion": "v1",']],
    ['none', ['I1119 11:56:29.172045    4178 flags.go:59] FLAG: --add-dir-header="false"']],
    ['none', ['2021-05-26 01:55:29.382834 I | etcdserver: published {...} to cluster c74448475845f0fb']],
    ['none', ['[INFO] 192.168.0.41:49572 - 54214 "AAAA IN discord.com. udp 40 false 1472" NOERROR qr,rd,ra 127 0.008s']],
    ['none', []],
  ];
  for (const [expected, sample] of table) assert.equal(detectEnvelope(sample).name, expected, sample.join(' / '));
});

/** Every file of the corpus folder, relative to it. */
function corpusFiles(): string[] {
  const root = corpusDir!;
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path) : [path];
    });
  return walk(root)
    .map((p) => relative(root, p))
    .filter((p) => p !== 'SOURCES.md')
    .sort();
}

/** The envelope each real log must be detected as. */
function expectedEnvelope(file: string): string | undefined {
  if (/^kind-1\.32-bundle\/kind-control-plane\/(containers|pods)\/.*\.log$/.test(file)) return 'cri';
  if (/^kind-1\.32-bundle\/kind-control-plane\/(kubelet|journal|containerd)\.log$/.test(file)) return 'journald-short';
  if (file.startsWith('openshift-kubelet-journal/')) return 'journald-short';
  if (file.startsWith('docker-json-kube-proxy/')) return 'docker-json';
  if (file.endsWith('/logs/current.log')) return 'timestamp';
  if (file.startsWith('compose-logs/')) return 'compose';
  if (file.startsWith('minikube-logs/')) return 'minikube';
  if (file.startsWith('coredns-querylog/') || file.startsWith('raw-klog-1.19/') || file.startsWith('audit-events/')) return 'none';
  return undefined;
}

test('detectEnvelope: the real captures', { skip: corpusSkip() }, () => {
  const files = corpusFiles();
  let checked = 0;
  for (const file of files) {
    const expected = expectedEnvelope(file);
    if (expected === undefined) continue;
    const detected = detectEnvelope(sampleOf(fileLines(corpus(file)))).name;
    assert.equal(detected, expected, file);
    checked++;
  }
  // 18 CRI files, 3 kind journald files, openshift, docker-json, must-gather, 4 compose files,
  // minikube, coredns, 2 raw klog files, 47 audit files: a moved or renamed folder fails here.
  assert.equal(checked, 79);
});

test('every line of every corpus file is consumed exactly once by its envelope', { skip: corpusSkip() }, () => {
  for (const file of corpusFiles()) {
    const lines = fileLines(corpus(file));
    const envelope = detectEnvelope(sampleOf(lines));
    const records = readAll(envelope, lines, context());
    assert.equal(linesConsumed(records), lines.length, `${file} (${envelope.name})`);
    // and in order: no line is reported twice or skipped
    // (records sharing a line that an earlier record took say so with physicalLines: 0)
    const seen = records.filter((r) => r.physicalLines !== 0).flatMap((r) => Array.from({ length: r.lastLine - r.firstLine + 1 }, (_, i) => r.firstLine + i));
    assert.deepEqual(
      seen.sort((a, b) => a - b),
      Array.from({ length: lines.length }, (_, i) => i + 1),
      file,
    );
  }
});

test('no envelope throws on garbage, and each still accounts for every line', () => {
  const huge = 'x'.repeat(2_000_000);
  const garbage = [
    '',
    ' ',
    '\u0000\u0001\ufffd\ud800',
    huge,
    `2025-03-21T14:51:23Z stderr P ${huge}`,
    '2025-03-21T14:51:23Z stderr',
    '2025-03-21T14:51:23Z stdout F',
    '9999-99-99T99:99:99Z stdout F x',
    '{"log":',
    '{"log":"x","stream":"stdout","time":"not a time"}',
    '{"__REALTIME_TIMESTAMP":"99999999999999999999","MESSAGE":[999,-1,"a",null]}',
    '{"__REALTIME_TIMESTAMP":"1","MESSAGE":{"nested":true}}',
    '[]',
    'null',
    'May 99 99:99:99 host x[1]: bad time',
    'May 23 08:07:20 host',
    'May 23 08:07:20 host [1]: empty identifier',
    'May 23 08:07:20 host x[99999999999999]: huge pid',
    `May 23 08:07:20 host ${'a'.repeat(100_000)}: long tag`,
    '-- Logs begin at garbage --',
    '-- Logs begin at Tue 2021-99-25 10:00:00 UTC, end at x --',
    '-- --',
    '[pod/',
    `[pod/${'a/'.repeat(10_000)}] x`,
    ` ${'a'.repeat(50_000)} |`,
    `${'a'.repeat(300)} | too long a name`,
    '==> <==',
    `==> ${'['.repeat(10_000)} <==`,
    '==== START logs for container  of pod / ====',
    `==== START logs for container ${'x '.repeat(10_000)} of pod a/b ====`,
    '==== END logs for container c of pod ns/p ====',
    '                                        indented',
  ];
  const lines = garbage.map((text, i) => ({ text, no: i + 1, truncated: i === 3 }));
  for (const envelope of ENVELOPES) {
    const records = readAll(envelope, lines, context());
    assert.equal(linesConsumed(records), lines.length, envelope.name);
    for (const r of records) assert.equal(typeof r.text, 'string', envelope.name);
    assert.equal(typeof envelope.score(garbage), 'number', envelope.name);
  }
});
