/**
 * The real corpus (../shared/corpus) through the whole read side: every folder parses, nearly
 * every component-log line is recognized, accounting is exact, and the kind bundle's events get
 * the right component and pod UIDs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { readAll } from '../../helpers/read-events.js';
import { balanced } from '../../../src/ingest/stats.js';
import { CLUSTER_COMPONENTS, type Component, type KEvent } from '../../../src/model/event.js';
import { corpus, corpusDir, corpusSkip } from '../../helpers/paths.js';

/**
 * Corpus files that are not component logs at all, so they do not count towards the 0.5%: Falco's
 * deliberately malformed audit input (`{"kind": 0}`), kept in its test set to check that a rule
 * engine survives garbage. ktrail must report it as unrecognized, and the test checks that it does.
 */
const NOT_COMPONENT_LOGS: Record<string, string[]> = { 'audit-events': ['fal_01_003.json'] };

const folders = corpusDir ? readdirSync(corpusDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name) : [];

test('every corpus folder parses with exact accounting and at most 0.5% unrecognized component lines', { skip: corpusSkip() }, async (t) => {
  assert.ok(folders.length >= 9, `expected the nine corpus folders, found ${folders.join(', ')}`);
  for (const folder of folders) {
    await t.test(folder, async () => {
      const { events, stats, errors } = await readAll(corpus(folder));
      assert.deepEqual(errors, []);
      assert.ok(stats.length > 0, `${folder}: no source read`);
      for (const s of stats) {
        assert.ok(balanced(s), `${s.file}: lines ${s.linesRead} != events ${s.events} + folded ${s.folded} + unrecognized ${s.unrecognized} + set aside ${s.setAside}`);
      }
      const cluster = new Set<Component>([...CLUSTER_COMPONENTS, 'audit', 'event']);
      const excluded = events.filter((e) => (NOT_COMPONENT_LOGS[folder] ?? []).some((f) => e.source.file.endsWith(f)));
      // The listed garbage files are really there (else the check below says nothing).
      assert.equal(excluded.length > 0, (NOT_COMPONENT_LOGS[folder] ?? []).length > 0, `${folder}: listed garbage files found`);
      for (const e of excluded) assert.equal(e.format, 'unknown', `${e.source.file} is garbage and must stay unrecognized`);
      const componentLines = events.filter(
        (e) => !excluded.includes(e) && (cluster.has(e.component) || e.format === 'unknown'),
      );
      const unknown = componentLines.filter((e) => e.format === 'unknown');
      const ratio = unknown.length / Math.max(1, componentLines.length);
      assert.ok(
        ratio <= 0.005,
        `${folder}: ${unknown.length} of ${componentLines.length} component lines unrecognized (${(ratio * 100).toFixed(2)}%), e.g.\n` +
          unknown
            .slice(0, 5)
            .map((e) => `  ${e.source.file}:${e.source.line} ${e.raw.slice(0, 160)}`)
            .join('\n'),
      );
      assert.ok(events.length > 0);
    });
  }
});

/** The UID a kubelet line carries, in any of the forms kubelets write, or undefined. */
function carriedPodUid(raw: string): string | undefined {
  return (/podUID="([^"]+)"/.exec(raw) ?? /\(UID: \\?"([0-9a-f-]{32,36})\\?"\)/.exec(raw))?.[1];
}

function assertPodUids(kubelet: KEvent[], atLeast: number): void {
  const carrying = kubelet.filter((e) => carriedPodUid(e.raw) !== undefined);
  assert.ok(carrying.length >= atLeast, `only ${carrying.length} kubelet lines carry a pod UID`);
  for (const e of carrying) {
    const uid = carriedPodUid(e.raw);
    assert.ok(
      e.objects.some((o) => o.kind === 'Pod' && o.uid === uid && o.key !== 'emitter'),
      `${e.source.file}:${e.source.line} lacks Pod ${uid}: ${JSON.stringify(e.objects)}`,
    );
  }
}

test('openshift kubelet journal: the pod UIDs of podUID= lines are found', { skip: corpusSkip() }, async () => {
  const { events } = await readAll(corpus('openshift-kubelet-journal'));
  const kubelet = events.filter((e) => e.component === 'kubelet');
  assert.ok(kubelet.filter((e) => /podUID="/.test(e.raw)).length >= 10);
  assertPodUids(kubelet, 40);
});

/** The component a kind bundle event must have, from where it was written. */
function expectedKindComponent(e: KEvent): Component {
  const file = e.source.file;
  const pod = /pods\/[^/]+\/([^/]+)\//.exec(file);
  if (pod) {
    const container = pod[1]!;
    const known: Record<string, Component> = {
      etcd: 'etcd',
      'kube-apiserver': 'kube-apiserver',
      'kube-scheduler': 'kube-scheduler',
      'kube-controller-manager': 'kube-controller-manager',
      'kube-proxy': 'kube-proxy',
      coredns: 'coredns',
    };
    return known[container] ?? 'other';
  }
  if (/(kubelet|journal)\.log$/.test(file)) return /^\w{3} [ \d]\d [\d:]{8} \S+ kubelet\[/.test(e.raw) ? 'kubelet' : 'other';
  return 'other';
}

test('kind-1.32-bundle: every event has the right component, and kubelet lines carry their pod UIDs', { skip: corpusSkip() }, async () => {
  const { events } = await readAll(corpus('kind-1.32-bundle'));
  const wrong = events.filter((e) => e.component !== expectedKindComponent(e));
  assert.deepEqual(
    wrong.slice(0, 5).map((e) => `${e.source.file}:${e.source.line} got ${e.component}, want ${expectedKindComponent(e)}`),
    [],
    `${wrong.length} events with the wrong component`,
  );
  const seen = new Set(events.map((e) => e.component));
  for (const c of CLUSTER_COMPONENTS) assert.ok(seen.has(c), `no ${c} events`);

  // kind 1.32's kubelet writes pod UIDs as `(UID: \"<uid>\")` in volume lines (no podUID= at all).
  assertPodUids(events.filter((e) => e.component === 'kubelet'), 40);
  // journal.log holds kubelet.log and containerd.log again: each line becomes one event only.
  // (journald itself may hold a line twice: only the same line from two files is a double read.)
  const filesOf = new Map<string, Set<string>>();
  for (const e of events) {
    if (!/(journal|kubelet|containerd)\.log$/.test(e.source.file)) continue;
    const files = filesOf.get(e.raw) ?? new Set<string>();
    files.add(e.source.file);
    filesOf.set(e.raw, files);
  }
  const twice = [...filesOf].filter(([, files]) => files.size > 1);
  assert.deepEqual(twice.slice(0, 3), [], `${twice.length} journal lines read twice`);
  assert.ok(events.some((e) => e.source.file.endsWith('kubelet.log') && e.component === 'kubelet'));
  // containers/ duplicates are read once: no event comes from containers/.
  assert.equal(events.filter((e) => e.source.file.includes('/containers/')).length, 0);
  // And pods/ events name their emitting pod's uid from the path.
  const coredns = events.filter((e) => e.component === 'coredns');
  assert.ok(coredns.length > 0, 'the bundle has CoreDNS lines (else the check below says nothing)');
  assert.ok(coredns.every((e) => e.objects.some((o) => o.via === 'path' && o.uid)));
});

test('the merged stream is in time order', { skip: corpusSkip() }, async () => {
  const { events } = await readAll(corpus('kind-1.32-bundle'));
  let disorder = 0;
  for (let i = 1; i < events.length; i++) if (events[i]!.time < events[i - 1]!.time) disorder++;
  assert.equal(disorder, 0);
});
