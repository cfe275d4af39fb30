/** Incident reads: one evidence order for every consumer, details read leniently, roots joined. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { at, storeWith } from '../../helpers/store.js';

function withIncidents() {
  const store = storeWith([
    { time: 1, message: 'effect early', file: 'a.log' },
    { time: 2, message: 'trigger late', file: 'b.log' },
    { time: 3, message: 'cause', file: 'a.log' },
    { time: 4, message: 'evidence', file: 'a.log' },
    { time: 0, message: 'trigger first', file: 'b.log' },
  ]);
  store.db.exec(`
    INSERT INTO objects (id, uid, kind, namespace, name) VALUES (1, 'u-1', 'Pod', 'default', 'web-1');
    INSERT INTO incidents (id, kind, severity, start_time, end_time, root_object_id, summary, details)
      VALUES (1, 'crashloop', 3, ${at(0)}, ${at(4)}, 1, 'web-1 is crash-looping',
              '{"components":["kubelet"],"counts":{"trigger":2,"bad":"x"},"causeChain":[{"kind":"rollout","object":"deployment/default/web","time":5,"summary":"s"},7]}'),
             (2, 'odd', 2, ${at(9)}, ${at(9)}, NULL, 'odd details', 'not json');`);
  // Ids follow time order (the writer numbers a merged stream): 1 = time 0 ... 5 = time 4.
  const id = (message: string): number => store.events.ids().find((i) => store.events.byIds([i])[0]!.message === message)!;
  const ev = store.db.prepare('INSERT INTO incident_evidence (incident_id, event_id, role) VALUES (?, ?, ?)');
  ev.run(1, id('effect early'), 'effect');
  ev.run(1, id('trigger late'), 'trigger');
  ev.run(1, id('cause'), 'cause');
  ev.run(1, id('evidence'), 'evidence');
  ev.run(1, id('trigger first'), 'trigger');
  ev.run(2, id('cause'), 'trigger');
  return store;
}

test('evidence: strongest role first, time order within a role, located in its file', () => {
  const store = withIncidents();
  const rows = store.incidents.evidence(1);
  assert.deepEqual(
    rows.map((r) => [r.role, r.message, r.file]),
    [
      ['trigger', 'trigger first', 'b.log'],
      ['trigger', 'trigger late', 'b.log'],
      ['cause', 'cause', 'a.log'],
      ['effect', 'effect early', 'a.log'],
      ['evidence', 'evidence', 'a.log'],
    ],
  );
  assert.deepEqual(store.incidents.evidence(1, 2).map((r) => r.message), ['trigger first', 'trigger late']);
  // Across incidents each event once, with its strongest role.
  const roles = store.incidents.evidenceOfAll([1, 2], 100);
  assert.equal(roles.size, 5);
  assert.equal([...roles].find(([eventId]) => store.events.byIds([eventId])[0]!.message === 'cause')![1], 'trigger');
  store.close();
});

test('incidents in start order with their root; details read leniently', () => {
  const store = withIncidents();
  const [first, second] = store.incidents.list();
  assert.equal(first!.root?.uid, 'u-1');
  assert.equal(first!.severity, 'error');
  assert.deepEqual(first!.details.components, ['kubelet']);
  assert.deepEqual(first!.details.counts, { trigger: 2 }, 'non-numbers left out');
  assert.deepEqual(first!.details.causeChain, [{ kind: 'rollout', object: 'deployment/default/web', time: 5, summary: 's' }]);
  assert.equal(second!.root, null);
  assert.deepEqual(second!.details, { components: [], counts: {}, causeChain: [], raw: null });
  assert.equal(store.incidents.get(2)?.summary, 'odd details');
  assert.equal(store.incidents.get(99), undefined);
  store.close();
});

test('evidence names the writer of a line that is no cluster component, and the CLI shows it', async () => {
  const store = storeWith([
    { time: 0, component: 'other', message: 'failed to create sandbox', fields: { writer: 'containerd' }, file: 'containerd.log' },
    { time: 1, component: 'kubelet', message: 'Error syncing pod', fields: { writer: 'ignored for a component' }, file: 'kubelet.log' },
  ]);
  store.db.exec(`INSERT INTO incidents (id, kind, severity, start_time, end_time, summary, details)
    VALUES (1, 'crashloop', 3, ${at(0)}, ${at(1)}, 's', '{"components":["kubelet"]}')`);
  const ev = store.db.prepare('INSERT INTO incident_evidence (incident_id, event_id, role) VALUES (?, ?, ?)');
  for (const i of store.events.ids()) ev.run(1, i, 'trigger');
  assert.deepEqual(
    store.incidents.evidence(1).map((r) => [r.component, r.writer]),
    [
      ['other', 'containerd'],
      ['kubelet', 'ignored for a component'],
    ],
  );
  const { formatIncidents, listIncidents } = await import('../../../src/cli/incidents.js');
  const text = formatIncidents(listIncidents(store), false);
  assert.match(text, /containerd\.log:1 trigger +containerd failed to create sandbox/);
  assert.match(text, /kubelet\.log:2 trigger +kubelet Error syncing pod/);
  store.close();
});
