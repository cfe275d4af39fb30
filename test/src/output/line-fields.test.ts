/**
 * The per-kind field table, on real lines read through the real pipeline: an Event shows reason and
 * message, an HTTP line verb, URI, status and latency, a DNS query its name and rcode, an etcd slow
 * request took, expected and key; text output and the TUI list line both show them.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Chalk } from 'chalk';
import type { KEvent } from '../../../src/model/event.js';
import { keyFields, lineKind } from '../../../src/output/line-fields.js';
import { formatEventLine } from '../../../src/output/text.js';
import { eventColumns, rowLayout } from '../../../src/tui/format.js';
import { corpus, corpusSkip } from '../../helpers/paths.js';
import { eventsOf, mustGatherPaths, unpackMustGather } from '../../helpers/signal-lines.js';

const plain = new Chalk({ level: 0 });

function first(events: KEvent[], what: string, pred: (e: KEvent) => boolean): KEvent {
  const e = events.find(pred);
  assert.ok(e, `no ${what} in the corpus file`);
  return e;
}

test('a controller-manager "Event occurred" line shows reason and message, not kind/apiVersion', { skip: corpusSkip() }, async () => {
  const events = await eventsOf([corpus('kind-1.32-bundle', 'kind-control-plane', 'pods')]);
  const e = first(events, 'Event occurred', (x) => x.component === 'kube-controller-manager' && x.message === 'Event occurred' && x.fields.reason === 'LeaderElection');
  assert.equal(lineKind(e), 'event');
  const shown = keyFields(e);
  assert.match(shown, /^reason=LeaderElection message=kind-control-plane_\S+ became leader object=kube-system\/kube-controller-manager$/);
  assert.doesNotMatch(shown, /apiVersion=|kind=|type=/);
  const text = formatEventLine(e, plain);
  assert.ok(text.endsWith(shown), text);
  const row = eventColumns({ ...e, id: 1 } as unknown as Parameters<typeof eventColumns>[0], rowLayout(200, false)).map((s) => s.text).join('');
  assert.ok(row.includes(shown), row);
});

test('kubelet 1.19 Event lines keep reason first; Event documents do not repeat it', { skip: corpusSkip() }, async () => {
  const kubelet = await eventsOf([corpus('raw-klog-1.19', 'kubelet.log')]);
  const e = first(kubelet, 'kubelet Event occurred', (x) => x.message === 'Event occurred');
  assert.match(keyFields(e), /^reason=\S+ message=/);
  const docs = await eventsOf([corpus('failure-cases', 'C5', 'log')]);
  const d = first(docs, 'an Event document', (x) => x.format === 'k8s-event' && x.fields.reason === 'Killing');
  assert.equal(lineKind(d), 'event');
  // Its message is already "Killing: Stopping container ...": the reason is not said twice.
  assert.ok(d.message.startsWith('Killing: '));
  assert.match(keyFields(d), /^count=\d+ sourceComponent=kubelet/);
  assert.doesNotMatch(keyFields(d), /type=|reason=/);
});

test('HTTP lines show verb, URI, status and latency: apiserver and kubelet httplog, audit', { skip: corpusSkip() }, async () => {
  const api = await eventsOf([corpus('raw-klog-1.19', 'kube-apiserver.log')]);
  const h = first(api, 'apiserver HTTP line', (x) => x.message === 'HTTP');
  assert.equal(lineKind(h), 'http');
  assert.match(keyFields(h), /^verb=GET URI=\/\S+ resp=\d{3} latency=[\d.]+(ms|µs|s)$/);
  const kubelet = await eventsOf([corpus('failure-cases', 'C5', 'log', '2023-08-29T23:48:45-kubelet-kind-worker.log.txt')]);
  const k = first(kubelet, 'kubelet HTTP line', (x) => x.message === 'HTTP');
  assert.equal(k.component, 'kubelet');
  assert.match(keyFields(k), /^verb=GET URI=\/metrics\/resource resp=200 latency=[\d.]+ms$/);
  const audit = await eventsOf([corpus('audit-events')]);
  const a = first(audit, 'audit event', (x) => x.format === 'audit' && x.fields.verb === 'create');
  assert.match(keyFields(a), /^verb=create requestURI=\/\S+ code=\d{3} user=/);
  assert.doesNotMatch(keyFields(a), /auditID=|stage=/);
});

test('a CoreDNS query line shows the query type, name, rcode and duration', { skip: corpusSkip() }, async () => {
  const events = await eventsOf([corpus('coredns-querylog')]);
  const q = first(events, 'query line', (x) => x.format === 'coredns' && x.fields.qname !== undefined);
  assert.equal(lineKind(q), 'dns-query');
  assert.match(keyFields(q), /^qtype=\w+ qname=\S+\. rcode=\w+ durationMs=[\d.]+$/);
  const banner = first(events, 'banner', (x) => x.format === 'coredns' && x.fields.version !== undefined);
  assert.equal(lineKind(banner), 'other');
});

test('an etcd "apply request took too long" shows took, expected and the key', { skip: corpusSkip() }, async (t) => {
  const mg = unpackMustGather([mustGatherPaths.etcd]);
  t.after(mg.dispose);
  const events = await eventsOf(mg.paths);
  const s = first(events, 'slow request', (x) => x.message === 'apply request took too long' && String(x.fields.request).startsWith('key:'));
  assert.equal(lineKind(s), 'etcd-slow');
  const key = /key:"([^"]*)"/.exec(String(s.fields.request))![1]!;
  assert.equal(keyFields(s), `took=${String(s.fields.took)} expected=${String(s.fields['expected-duration'])} key=${key} prefix=${String(s.fields.prefix)}`);
  assert.ok(key.startsWith('/kubernetes.io/'));
});

test('other lines keep the first four fields in their own order', () => {
  const e = { component: 'kubelet', message: 'x', format: 'klog', fields: { a: 1, logger: 'l', b: 'two', c: null, d: true, e: 5, f: 6 } } as const;
  assert.equal(lineKind(e), 'other');
  assert.equal(keyFields(e), 'a=1 b=two d=true e=5');
});
