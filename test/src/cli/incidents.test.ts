/**
 * The incident list's text: the root is the stored object, else the label the rule gave a root
 * that is no API object (a host dialled, a webhook), else '-'; log text in it is neutralized.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatIncidents, type IncidentOut } from '../../../src/cli/incidents.js';

function incident(root: IncidentOut['root'], details: unknown): IncidentOut {
  return { id: 1, cluster: '', kind: 'tls-failure', severity: 'error', start: 'a', end: 'b', summary: 's', root, details, evidence: [] };
}

const firstLine = (i: IncidentOut): string => formatIncidents([i], false).split('\n')[0]!;

test('a stored root is shown as kind/namespace/name', () => {
  assert.match(firstLine(incident({ uid: 'u', kind: 'Pod', namespace: 'default', name: 'web-1' }, null)), /tls-failure pod\/default\/web-1 /);
});

test('a root that is no stored object is shown by the label its rule gave it', () => {
  assert.match(firstLine(incident(null, { root: { kind: 'Host', name: '10.0.0.1:6443', label: 'host/10.0.0.1:6443' } })), /tls-failure host\/10\.0\.0\.1:6443 /);
});

test('no root and no label: a dash; a label carrying escapes is neutralized', () => {
  assert.match(firstLine(incident(null, {})), /tls-failure - /);
  assert.doesNotMatch(firstLine(incident(null, { root: { label: 'host/\x1b[31mevil' } })), /\x1b\[31m/);
});
