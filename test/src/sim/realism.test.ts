/**
 * Realism: every message template the simulator uses must appear in the real corpus (variable
 * parts masked), except a short, explicit list of upstream-only forms, each naming its source.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { corpusLines, seen, unseenTemplates } from '../../../src/sim/realism.js';
import { allTemplates } from '../../../src/sim/templates/index.js';
import { UPSTREAM_ONLY } from '../../../src/sim/templates/upstream-only.js';
import { constantFragments } from '../../../src/sim/templates/define.js';
import { corpus, corpusSkip } from '../../helpers/paths.js';
import { mustGatherPaths, withMustGather } from '../../helpers/signal-lines.js';
import { readFileSync } from 'node:fs';

const exceptionIds = UPSTREAM_ONLY.flatMap((g) => g.ids);

test('the fragment matcher finds in-order fragments on one line, also inside Go-quoted dumps', () => {
  const lines = [
    'I0321 14:51:32.399865       1 replica_set.go:679] "Finished syncing" logger="replicaset-controller" kind="ReplicaSet"',
    'event="&Event{Reason:Pulling,Message:Pulling image \\"quay.io/x\\",Source:EventSource{}}"',
  ];
  assert.equal(seen(lines, ['"Finished syncing"', ' logger=', ' kind=']), true);
  assert.equal(seen(lines, [' kind=', ' logger=']), false, 'order matters');
  assert.equal(seen(lines, ['Pulling image "', '"']), true, 'found as \\" inside a dump');
  assert.equal(seen(lines, ['"Finished syncing"', 'Pulling image']), false, 'one line, not two');
  assert.deepEqual(constantFragments('Created pod: {pod}'), ['Created pod: ']);
});

/**
 * The must-gather is kept compressed, so corpusLines does not read it: the entries that show
 * failure forms the other captures lack (volume mounts failing, FailedMount Events, a lease that
 * could not be renewed) are unpacked and read too.
 */
const MUST_GATHER_ROOT = mustGatherPaths.kubelet.slice(0, mustGatherPaths.kubelet.indexOf('/host_service_logs/'));
const MUST_GATHER_ENTRIES = [
  mustGatherPaths.kubelet,
  mustGatherPaths.monitoringEvents,
  `${MUST_GATHER_ROOT}/namespaces/openshift-kube-scheduler/pods/openshift-kube-scheduler-ip-10-0-189-142.ec2.internal/kube-scheduler-recovery-controller/kube-scheduler-recovery-controller/logs/previous.log`,
];

test('every template form appears in the real corpus or is a listed upstream-only form', { skip: corpusSkip() }, async () => {
  const lines = corpusLines(corpus());
  await withMustGather(MUST_GATHER_ENTRIES, async (paths) => {
    for (const p of paths) for (const l of readFileSync(p, 'utf8').split('\n')) lines.push(l);
  });
  const unseen = unseenTemplates(lines).map((u) => u.id);
  const unlisted = unseen.filter((id) => !exceptionIds.includes(id));
  assert.deepEqual(unlisted, [], 'templates the corpus lacks must be listed in templates/upstream-only.ts with their source');
  const stale = exceptionIds.filter((id) => !unseen.includes(id));
  assert.deepEqual(stale, [], 'listed upstream-only forms that the corpus does show: remove them from the list');
  // A good share of what the simulator writes is corpus-backed.
  const forms = allTemplates().reduce((n, t) => n + 1 + (t.legacyFragments ? 1 : 0), 0);
  assert.ok(unseen.length / forms < 0.33, `${unseen.length} of ${forms} forms are upstream-only`);
});

// Groups raised from 19 for the failure scenarios of leader election (the controller-manager's own
// "leaderelection lost"), an etcd2-era apiserver without etcd under systemd, and the 1.20 and
// Event forms of a volume that never mounts: no capture of the corpus shows them (eight ids; the
// ids cap goes from 54 to 59 because reading the must-gather took three probe and SyncLoop forms off).
test('the upstream-only list stays short and well-formed', () => {
  assert.ok(UPSTREAM_ONLY.length <= 22, `${UPSTREAM_ONLY.length} groups`);
  assert.ok(exceptionIds.length <= 59, `${exceptionIds.length} ids`);
  assert.equal(new Set(exceptionIds).size, exceptionIds.length, 'no id listed twice');
  const known = new Set(allTemplates().flatMap((t) => [t.id, ...(t.legacyFragments ? [`${t.id}#legacy`] : [])]));
  for (const g of UPSTREAM_ONLY) {
    assert.match(g.source, /^[a-z0-9-]+\/[a-z0-9-]+ \S+/, 'source names repository and file');
    for (const id of g.ids) assert.ok(known.has(id), `${id} is a template form the simulator has`);
  }
});

test('template ids are unique', () => {
  const ids = allTemplates().map((t) => t.id);
  assert.equal(new Set(ids).size, ids.length);
});
