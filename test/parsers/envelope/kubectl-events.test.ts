/**
 * kubectl's Event tables and describe output, rendered the way kubectl prints them (its
 * tabwriter: columns padded to their widest cell plus 3 spaces) from the REAL Events of
 * ../shared/corpus/failure-cases (a `kubectl get events -o json` list), read back through the
 * whole pipeline: every row must give its Event's reason, type, count and object.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { parseAge } from '../../../parsers/envelope/kubectl-events.js';
import { detectEnvelope } from '../../../parsers/envelope/detect.js';
import type { KEvent } from '../../../src/model/event.js';
import { openEventStream } from '../../../src/ingest/run.js';
import { corpus, corpusSkip } from '../../helpers/paths.js';

interface CorpusEvent {
  type: string;
  reason: string;
  message: string;
  count: number;
  lastTimestamp: string;
  firstTimestamp: string;
  involvedObject: { kind: string; name: string; namespace?: string };
  source: { component?: string; host?: string };
  metadata: { name: string };
}

function corpusEvents(): CorpusEvent[] {
  const list = JSON.parse(readFileSync(corpus('failure-cases', 'C5', 'log', '2023-08-29T23:48:45-events.log.txt'), 'utf8')) as { items: CorpusEvent[] };
  // Messages with a newline are printed over several lines by kubectl: kept out of the tables.
  return list.items.filter((e) => !e.message.includes('\n') && e.lastTimestamp && e.firstTimestamp).slice(0, 120);
}

/** kubectl's HumanDuration, as it prints ages. */
function human(us: number): string {
  const s = Math.max(0, Math.round(us / 1e6));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 ? `${m}m${s % 60}s` : `${m}m`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  return h < 48 ? (m % 60 ? `${h}h${m % 60}m` : `${h}h`) : `${Math.floor(h / 24)}d`;
}

/** A tabwriter table: each column as wide as its widest cell, plus 3 spaces (the last unpadded). */
function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]! + 3))).join('').trimEnd());
}

/** Reads `text` from a pipe, or from a file saved at `savedAt` (epoch µs): ages count back from it. */
async function read(text: string, savedAt?: number): Promise<KEvent[]> {
  let paths: string[] = [];
  if (savedAt !== undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'ktrail-events-'));
    const file = join(dir, 'events.txt');
    writeFileSync(file, text);
    utimesSync(file, savedAt / 1e6, savedAt / 1e6);
    paths = [file];
  }
  const stream = await openEventStream(paths, paths.length ? undefined : Readable.from([text]), { onError: (f, m) => assert.fail(`${f}: ${m}`) });
  const out: KEvent[] = [];
  for await (const b of stream.events) out.push(...b);
  return out;
}

const us = (iso: string): number => Date.parse(iso) * 1000;
const resource = (kind: string): string => kind.toLowerCase();

function expected(e: CorpusEvent, withNamespace = true) {
  const ns = withNamespace ? (e.involvedObject.namespace ?? '') : '';
  return {
    reason: e.reason,
    type: e.type,
    count: e.count,
    object: `${e.involvedObject.kind}/${ns}/${e.involvedObject.name}`,
  };
}

function got(e: KEvent) {
  const o = e.objects.find((x) => x.key === 'involvedObject');
  return { reason: e.fields.reason, type: e.fields.type, count: e.fields.count, object: `${o?.kind}/${o?.namespace ?? ''}/${o?.name}` };
}

test('kubectl get events, -A, -o wide, kubectl events and -w: every row is its Event', { skip: corpusSkip() }, async () => {
  const events = corpusEvents();
  // Saved five minutes after the last event: the ages are those kubectl showed then.
  const now = Math.max(...events.map((e) => us(e.lastTimestamp))) + 300e6;
  const age = (e: CorpusEvent): string => human(now - us(e.lastTimestamp));
  // Without -A the table does not say the namespace (it is -n's, or the context's): none is assumed.
  const forms: Record<string, { lines: string[]; counts: boolean; ns?: boolean }> = {
    'get events': {
      lines: table([['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'], ...events.map((e) => [age(e), e.type, e.reason, `${resource(e.involvedObject.kind)}/${e.involvedObject.name}`, e.message])]),
      counts: false,
    },
    'get events -A': {
      lines: table([['NAMESPACE', 'LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'], ...events.map((e) => [e.involvedObject.namespace ?? '', age(e), e.type, e.reason, `${resource(e.involvedObject.kind)}/${e.involvedObject.name}`, e.message])]),
      counts: false,
      ns: true,
    },
    'get events -o wide': {
      lines: table([
        ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'SUBOBJECT', 'SOURCE', 'MESSAGE', 'FIRST SEEN', 'COUNT', 'NAME'],
        ...events.map((e) => [age(e), e.type, e.reason, `${resource(e.involvedObject.kind)}/${e.involvedObject.name}`, '', [e.source.component, e.source.host].filter(Boolean).join(', '), e.message, human(now - us(e.firstTimestamp)), String(e.count), e.metadata.name]),
      ]),
      counts: true,
    },
    'kubectl events': {
      lines: table([['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'], ...events.map((e) => [e.count > 1 ? `${age(e)} (x${e.count} over ${human(us(e.lastTimestamp) - us(e.firstTimestamp))})` : age(e), e.type, e.reason, `${e.involvedObject.kind}/${e.involvedObject.name}`, e.message])]),
      counts: true,
    },
    // -w: rows printed one by one, each padded on its own.
    'get events -w': {
      lines: [table([['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'], ...events.slice(0, 1).map((e) => [age(e), e.type, e.reason, `${resource(e.involvedObject.kind)}/${e.involvedObject.name}`, e.message])])[0]!, ...events.map((e) => table([[age(e), e.type, e.reason, `${resource(e.involvedObject.kind)}/${e.involvedObject.name}`, e.message]])[0]!)],
      counts: false,
    },
  };
  for (const [form, { lines, counts, ns }] of Object.entries(forms)) {
    assert.equal(detectEnvelope(lines.slice(0, 50)).name, 'kubectl-events', form);
    const read_ = await read(lines.join('\n') + '\n', now);
    assert.equal(read_.length, events.length, form);
    read_.forEach((e, i) => {
      const want = expected(events[i]!, !!ns);
      const have = got(e);
      if (!counts) delete (want as Partial<typeof want>).count;
      if (!counts) delete (have as Partial<typeof have>).count;
      // kubectl events shows a count only for repeats: `5m (x3 over 9m)`.
      if (form === 'kubectl events' && want.count === 1) (want as { count?: number }).count = undefined;
      assert.deepEqual(have, want, `${form} row ${i + 1}`);
      assert.equal(e.component, 'event', form);
      assert.equal(e.message, `${events[i]!.reason}: ${events[i]!.message}`, form);
      assert.equal(e.raw, lines[i + 1], 'the row is the raw text');
      // Ages are coarse (whole minutes past 10 minutes, hours past 3): within one unit.
      assert.ok(Math.abs(e.time - us(events[i]!.lastTimestamp)) <= 3600e6, `${form} time ${e.time} ${events[i]!.lastTimestamp}`);
    });
  }
});

test('kubectl describe pod and node: the Events section, about the described object', { skip: corpusSkip() }, async () => {
  const events = corpusEvents();
  const pod = events.find((e) => e.involvedObject.kind === 'Pod')!.involvedObject;
  const mine = events.filter((e) => e.involvedObject.name === pod.name);
  const rows = table([
    ['Type', 'Reason', 'Age', 'From', 'Message'],
    ['----', '------', '----', '----', '-------'],
    ...mine.map((e) => [e.type, e.reason, e.count > 1 ? `5m (x${e.count} over 7m)` : '5m', e.source.component ?? '', e.message]),
  ]).map((l) => `  ${l}`);
  const describePod = [
    `Name:             ${pod.name}`,
    `Namespace:        ${pod.namespace}`,
    'Priority:         0',
    'Node:             kind-worker2/172.18.0.3',
    'Status:           Running',
    'Containers:',
    '  app:',
    '    Image:          nginx',
    'Events:',
    ...rows,
  ];
  const describeNode = [
    'Name:               kind-worker2',
    'Roles:              <none>',
    'Taints:             <none>',
    'Events:',
    '  Type     Reason                   Age   From             Message',
    '  ----     ------                   ----  ----             -------',
    '  Normal   NodeHasSufficientMemory  13m   kubelet          Node kind-worker2 status is now: NodeHasSufficientMemory',
    '  Warning  Rebooted                 2m    kubelet          Node kind-worker2 has been rebooted, boot id: 2e4c',
  ];
  const podEvents = await read(describePod.join('\n') + '\n');
  assert.deepEqual(
    podEvents.map(got),
    mine.map((e) => expected(e)),
  );
  assert.ok(podEvents.every((e) => e.fields.sourceComponent === 'kubelet' || e.fields.sourceComponent !== undefined));
  const nodeEvents = await read(describeNode.join('\n') + '\n');
  assert.deepEqual(nodeEvents.map(got), [
    { reason: 'NodeHasSufficientMemory', type: 'Normal', count: undefined, object: 'Node//kind-worker2' },
    { reason: 'Rebooted', type: 'Warning', count: undefined, object: 'Node//kind-worker2' },
  ]);
  assert.equal(nodeEvents[1]!.severity, 'warn');
});

test('kubectl ages', () => {
  assert.equal(parseAge('4m22s'), 262e6);
  assert.equal(parseAge('3d1h'), 3 * 86_400e6 + 3600e6);
  assert.equal(parseAge('<unknown>'), undefined);
  assert.equal(parseAge('12'), undefined);
});

test('real `kubectl describe deployment` snapshots: their Events sections are events of the Deployment', { skip: corpusSkip() }, async () => {
  const file = corpus('failure-cases', 'C5', 'log', '2023-08-29T23:47:01-describe_deployment.log.txt');
  const stream = await openEventStream([file], undefined, { onError: (f, m) => assert.fail(`${f}: ${m}`) });
  const events: KEvent[] = [];
  for await (const b of stream.events) events.push(...b);
  const fromEvents = events.filter((e) => e.format === 'k8s-event');
  const rows = readFileSync(file, 'utf8').split('\n').filter((l) => /^ {2}(?:Normal|Warning) /.test(l)).length;
  assert.equal(fromEvents.length, rows, 'one event per Events row');
  // Ages count back from each snapshot's LOG_TIME header (the capture ran on 2023-08-30 UTC), not
  // from the file's modification time (when the corpus was copied).
  const captureDay = [Date.parse('2023-08-29T00:00:00Z') * 1000, Date.parse('2023-08-31T00:00:00Z') * 1000];
  const outside = fromEvents.filter((e) => e.time < captureDay[0]! || e.time > captureDay[1]!);
  assert.deepEqual(outside.map((e) => e.raw).slice(0, 3), [], 'every event dated in the capture');
  const scaled = fromEvents.find((e) => e.fields.reason === 'ScalingReplicaSet')!;
  assert.deepEqual(got(scaled).object, 'Deployment/kube-system/descheduler');
  assert.equal(scaled.fields.sourceComponent, 'deployment-controller');
  assert.equal(stream.stats[0]!.envelope, 'kubectl-events');
});
