/**
 * Cloud exports (gcloud, CloudWatch, Loki: fixtures/cloud, written from each service's schema,
 * see its README; Azure is tested on the real corpus in test/src/ingest/captures.test.ts) through
 * the whole read side: the envelope is detected, each record's inner line goes to the payload
 * parsers, and the service's labels become component, pod and host.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openEventStream } from '../../../src/ingest/run.js';
import { balanced, type SourceStats } from '../../../src/ingest/stats.js';
import type { KEvent } from '../../../src/model/event.js';
import { fixturesDir } from '../../helpers/paths.js';
import { readAll as readRecords, numbered } from './helpers.js';
import { gcloudLoggingEnvelope } from '../../../parsers/envelope/gcloud-logging.js';
import { cloudWatchEnvelope } from '../../../parsers/envelope/cloudwatch.js';
import { lokiJsonlEnvelope } from '../../../parsers/envelope/loki-jsonl.js';
import { azureDiagnosticsEnvelope } from '../../../parsers/envelope/azure-diagnostics.js';

async function read(file: string): Promise<{ events: KEvent[]; stats: SourceStats }> {
  const stream = await openEventStream([join(fixturesDir, 'cloud', file)], undefined, { onError: (f, m) => assert.fail(`${f}: ${m}`) });
  const events: KEvent[] = [];
  for await (const b of stream.events) events.push(...b);
  assert.ok(balanced(stream.stats[0]!), JSON.stringify(stream.stats[0]));
  return { events, stats: stream.stats[0]! };
}

const by = (events: KEvent[], re: RegExp): KEvent => {
  const e = events.find((x) => re.test(x.message) || re.test(x.raw));
  assert.ok(e, `no event matching ${re}`);
  return e;
};

test('gcloud logging read --format=json: resource labels name component, pod and node; AuditLog becomes an audit event', async () => {
  const { events, stats } = await read('gcloud-logging-read.json');
  assert.equal(stats.envelope, 'gcloud-logging');
  assert.equal(events.length, 5);
  assert.equal(stats.unrecognized, 0);
  const dns = by(events, /plugin\/errors/);
  assert.equal(dns.component, 'coredns');
  assert.equal(dns.format, 'coredns');
  assert.ok(dns.objects.some((o) => o.key === 'emitter' && o.name === 'coredns-5d78c9869d-abcde' && o.namespace === 'kube-system'));
  assert.equal(dns.time, Date.parse('2024-03-01T10:00:00.412Z') * 1000 + 345);
  assert.equal(by(events, /quota admission/).component, 'kube-apiserver');
  assert.equal(by(events, /Successfully bound/).component, 'kube-scheduler');
  const kubelet = by(events, /SyncLoop ADD/);
  assert.equal(kubelet.component, 'kubelet');
  assert.equal(kubelet.host, 'gke-c1-default-pool-1a2b3c4d-x7k2');
  const audit = events.find((e) => e.format === 'audit')!;
  assert.equal(audit.component, 'audit');
  assert.equal(audit.fields['verb'], 'create');
  assert.ok(audit.objects.some((o) => o.kind === 'Pod' && o.name === 'web-7d4b9c8f6-k2x8p' && o.namespace === 'default'), JSON.stringify(audit.objects));
});

test('CloudWatch filter-log-events: EKS stream names give the component; audit streams hold audit events', async () => {
  const { events, stats } = await read('cloudwatch-filter-log-events.json');
  assert.equal(stats.envelope, 'cloudwatch');
  assert.equal(events.length, 5);
  assert.equal(stats.sharedLineEvents, 4); // one pretty-printed page: its lines go to its first event
  assert.equal(by(events, /quota admission/).component, 'kube-apiserver');
  assert.equal(by(events, /Successfully bound/).component, 'kube-scheduler');
  assert.equal(by(events, /SuccessfulCreate/).component, 'kube-controller-manager');
  assert.equal(by(events, /access granted/).component, 'other');
  const audit = events.find((e) => e.format === 'audit')!;
  assert.equal(audit.component, 'audit');
  assert.equal(audit.fields['verb'], 'get');
  // the timestamp is epoch milliseconds; klog's own time (same second) is what the event keeps
  assert.equal(by(events, /quota admission/).time, Date.parse('2024-03-01T10:00:00.123Z') * 1000 + 456);
});

test('CloudWatch Logs Insights export: @message, @timestamp and @logStream', async () => {
  const { events, stats } = await read('cloudwatch-insights-export.json');
  assert.equal(stats.envelope, 'cloudwatch');
  assert.deepEqual(events.map((e) => e.component), ['kube-apiserver', 'kube-scheduler']);
});

test('Loki logcli --output jsonl: labels give pod, namespace, container and node', async () => {
  const { events, stats } = await read('loki-logcli.jsonl');
  assert.equal(stats.envelope, 'loki-jsonl');
  assert.deepEqual(
    events.map((e) => `${e.component} ${e.format} ${e.host}`),
    ['kube-apiserver klog cp1', 'coredns coredns cp1', 'etcd etcd-zap cp1', 'other unknown w1'],
  );
  const web = events[3]!;
  assert.ok(web.objects.some((o) => o.key === 'emitter' && o.name === 'web-7d4b9c8f6-k2x8p' && o.namespace === 'default'));
});

test('the JSON-items reader keeps every line: a cut file, garbage between values, a value of another shape', () => {
  for (const envelope of [gcloudLoggingEnvelope, cloudWatchEnvelope, lokiJsonlEnvelope, azureDiagnosticsEnvelope]) {
    const lines = ['not json at all', '{"line":"x","timestamp":"2024-03-01T10:00:00Z"}', '{"other":1}', '[', '  {"insertId":"a",', '  "textPayload":"y"', '  },', '{"records":[{"category":"kube-apiserver","properties":{"log":"z"}}', '{"events":[{"message":"cut'];
    const records = readRecords(envelope, numbered(lines));
    const consumed = records.reduce((n, r) => n + (r.physicalLines ?? r.lastLine - r.firstLine + 1), 0);
    assert.equal(consumed, lines.length, envelope.name);
    // nothing is dropped: every line's text is in some record's raw
    for (const l of ['not json at all', '{"other":1}', '{"events":[{"message":"cut']) {
      assert.ok(records.some((r) => r.raw.includes(l)), `${envelope.name}: ${l}`);
    }
  }
});
