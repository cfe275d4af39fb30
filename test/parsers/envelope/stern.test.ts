/**
 * stern's output in each of its forms, built from REAL container lines of the kind bundle in
 * ../shared/corpus, prefixed the way stern writes them (its templates: default
 * `{{color .PodColor .PodName}} {{color .ContainerColor .ContainerName}} {{.Message}}`, with the
 * namespace first under -A; `-t` puts the API's RFC3339Nano timestamp before the message; json
 * is its Log struct; extjson/ppextjson embed a JSON message as is). Each is read through the
 * whole pipeline and must give the events the container's own file gives.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { Readable } from 'node:stream';
import { join } from 'node:path';
import { readSternDefault, samples, sternEnvelope } from '../../../parsers/envelope/stern.js';
import { detectEnvelope } from '../../../parsers/envelope/detect.js';
import type { KEvent } from '../../../src/model/event.js';
import { openEventStream } from '../../../src/ingest/run.js';
import { corpus, corpusSkip } from '../../helpers/paths.js';
import { JUNE_2025, readAll, context } from './helpers.js';

interface Container {
  file: string;
  namespace: string;
  pod: string;
  container: string;
  /** CRI lines: time and payload (complete records only). */
  lines: { ts: string; payload: string }[];
}

const NODE = 'kind-control-plane';
const LINES_EACH = 40;

function containers(): Container[] {
  const dir = corpus('kind-1.32-bundle', NODE, 'containers');
  const want = ['kube-scheduler', 'coredns', 'etcd', 'kube-proxy', 'kube-apiserver'];
  const out: Container[] = [];
  for (const name of readdirSync(dir).sort()) {
    // <pod>_<namespace>_<container>-<id>.log
    const m = /^(.+)_([^_]+)_(.+)-[0-9a-f]{64}\.log$/.exec(name);
    if (!m || !want.includes(m[3]!) || out.some((c) => c.container === m[3])) continue;
    const lines = readFileSync(join(dir, name), 'utf8')
      .split('\n')
      .map((l) => /^(\S+) (?:stdout|stderr) F (.*)$/.exec(l))
      .filter((x): x is RegExpExecArray => !!x)
      .slice(0, LINES_EACH)
      .map((x) => ({ ts: x[1]!, payload: x[2]! }));
    out.push({ file: join(dir, name), namespace: m[2]!, pod: m[1]!, container: m[3]!, lines });
  }
  return out;
}

async function read(paths: string[], stdin?: string): Promise<KEvent[]> {
  const errors: string[] = [];
  const stream = await openEventStream(paths, stdin === undefined ? undefined : Readable.from([stdin]), { onError: (f, m) => errors.push(`${f}: ${m}`) });
  const events: KEvent[] = [];
  for await (const batch of stream.events) events.push(...batch);
  assert.deepEqual(errors, []);
  return events;
}

const isJson = (s: string): boolean => {
  try {
    return typeof JSON.parse(s) === 'object';
  } catch {
    return false;
  }
};
const color = (code: number, s: string): string => `\x1b[${code}m${s}\x1b[0m`;

type Form = (c: Container, l: { ts: string; payload: string }) => string;
const FORMS: Record<string, Form> = {
  default: (c, l) => `${c.pod} ${c.container} ${l.payload}`,
  'all namespaces': (c, l) => `${c.namespace} ${c.pod} ${c.container} ${l.payload}`,
  '-t': (c, l) => `${c.pod} ${c.container} ${l.ts} ${l.payload}`,
  '--color always -A -t': (c, l) => `${color(36, c.namespace)} ${color(36, c.pod)} ${color(32, c.container)} ${l.ts} ${l.payload}`,
  '-o json -t': (c, l) => JSON.stringify({ message: `${l.ts} ${l.payload}`, nodeName: NODE, namespace: c.namespace, podName: c.pod, containerName: c.container }),
  '-o extjson --color always': (c, l) =>
    `{"pod": "${color(31, c.pod)}", "container": "${color(32, c.container)}", "message": ${isJson(l.payload) ? l.payload : JSON.stringify(l.payload)}}`,
  '-o ppextjson -A': (c, l) =>
    `{\n  "namespace": "${c.namespace}",\n  "pod": "${c.pod}",\n  "container": "${c.container}",\n  "message": ${isJson(l.payload) ? l.payload : JSON.stringify(l.payload)}\n}`,
};
const TIMED = new Set(['-t', '--color always -A -t', '-o json -t']);

/** What must match between an event read from stern's output and the container file's. */
function essence(e: KEvent, withTime: boolean) {
  return {
    component: e.component,
    severity: e.severity,
    message: e.message,
    fields: e.fields,
    payload: e.format,
    caller: e.caller,
    objects: e.objects.filter((o) => o.key !== 'emitter').map((o) => `${o.kind}/${o.namespace ?? ''}/${o.name ?? ''}/${o.uid ?? ''}`),
    ...(withTime ? { time: e.time } : {}),
  };
}

test('stern: every output form of real container lines reads as the container file does', { skip: corpusSkip() }, async () => {
  const cs = containers();
  assert.equal(cs.length, 5, 'the bundle has the scheduler, CoreDNS, etcd, kube-proxy and apiserver containers');
  for (const c of cs) {
    const direct = (await read([c.file])).slice(0, c.lines.length);
    assert.ok(direct.length >= 4, c.container);
    for (const [form, write] of Object.entries(FORMS)) {
      const text = c.lines.map((l) => write(c, l)).join('\n') + '\n';
      const events = await read([], text);
      const what = `${c.container} ${form}`;
      assert.equal(events.length, direct.length, what);
      assert.ok(events.every((e) => e.source.format.startsWith('stern/')), `${what}: read as stern (${events[0]?.source.format})`);
      assert.deepEqual(events.map((e) => essence(e, TIMED.has(form))), direct.map((e) => essence(e, TIMED.has(form))), what);
      // The writer is the pod's container: an emitter reference names the pod.
      const emitter = events[0]!.objects.find((o) => o.key === 'emitter');
      assert.equal(emitter?.name, c.pod, what);
      if (form.includes('-A') || form.includes('json -t')) assert.equal(emitter?.namespace, c.namespace, what);
      if (form.startsWith('-o json')) assert.equal(events[0]!.host, NODE, what);
    }
  }
});

test('stern: the form with or without a namespace is told by what follows the names', () => {
  const klog = 'I0321 14:51:24.449656       1 authentication.go:397] hello';
  assert.deepEqual(
    { ...readSternDefault(`kube-system kube-scheduler-kind-control-plane kube-scheduler ${klog}`, JUNE_2025) },
    { namespace: 'kube-system', pod: 'kube-scheduler-kind-control-plane', container: 'kube-scheduler', message: klog, evidence: true, namespaced: true },
  );
  assert.equal(readSternDefault(`kube-scheduler-kind-control-plane kube-scheduler ${klog}`, JUNE_2025)?.namespaced, false);
  // -t short: month-day without a year takes the reference time's year.
  const short = readSternDefault(`web-1 nginx 03-21 14:51:24 GET /`, JUNE_2025);
  assert.equal(short?.time, Date.UTC(2025, 2, 21, 14, 51, 24) * 1000);
  assert.equal(short?.message, 'GET /');
  for (const text of ['Starting kubelet', 'starting containerd revision=1', 'I0321 14:51:24.449656 1 x.go:1] y', '[pod/a/b] x'])
    assert.ok(!readSternDefault(text, JUNE_2025)?.evidence || !text.includes('-'), text);
});

test('stern: detection does not take other shapes for stern lines', () => {
  assert.equal(detectEnvelope(['starting containerd revision=c507a0257ea6 version=v2.0.2', 'containerd successfully booted in 0.124108s']).name, 'none');
  assert.equal(detectEnvelope(['kube-proxy-1  | I0321 14:51:24.449656 1 server.go:1] x']).name, 'compose');
  assert.equal(detectEnvelope(['coredns-668d6bf9bc-79t94 coredns [INFO] plugin/reload: Running configuration SHA512 = 1b226d']).name, 'stern');
});

test('stern: a ppextjson record cut short is kept line by line, nothing lost', () => {
  const lines = ['{', '  "pod": "web-1",', 'not json'];
  const records = readAll(sternEnvelope, lines, context());
  assert.deepEqual(records.map((r) => r.text), lines);
});

test('stern: its samples give the records they promise', () => {
  for (const s of samples) {
    const got = readAll(sternEnvelope, s.lines, context()).map((r) => {
      const out: Record<string, unknown> = { text: r.text, pod: r.hints.pod?.name, container: r.hints.pod?.container };
      if (r.hints.pod?.namespace) out.namespace = r.hints.pod.namespace;
      if (r.hints.host) out.host = r.hints.host;
      if (r.hints.component) out.component = r.hints.component;
      if (r.time !== undefined) out.time = r.time;
      return out;
    });
    assert.deepEqual(got, s.records, s.lines[0]);
  }
});
