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

test('every template form appears in the real corpus or is a listed upstream-only form', { skip: corpusSkip() }, () => {
  const lines = corpusLines(corpus());
  const unseen = unseenTemplates(lines).map((u) => u.id);
  const unlisted = unseen.filter((id) => !exceptionIds.includes(id));
  assert.deepEqual(unlisted, [], 'templates the corpus lacks must be listed in templates/upstream-only.ts with their source');
  const stale = exceptionIds.filter((id) => !unseen.includes(id));
  assert.deepEqual(stale, [], 'listed upstream-only forms that the corpus does show: remove them from the list');
  // A good share of what the simulator writes is corpus-backed.
  const forms = allTemplates().reduce((n, t) => n + 1 + (t.legacyFragments ? 1 : 0), 0);
  assert.ok(unseen.length / forms < 0.33, `${unseen.length} of ${forms} forms are upstream-only`);
});

test('the upstream-only list stays short and well-formed', () => {
  assert.ok(UPSTREAM_ONLY.length <= 19, `${UPSTREAM_ONLY.length} groups`);
  assert.ok(exceptionIds.length <= 54, `${exceptionIds.length} ids`);
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
