/**
 * What makes a line evidence, on real lines through the real parsers: the facts its signals state,
 * without what the message already says; a line that states no signal shows its key fields.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KEvent } from '../../../src/model/event.js';
import { evidenceFields } from '../../../src/output/evidence-fields.js';
import { corpus, corpusSkip } from '../../helpers/paths.js';
import { eventsOf } from '../../helpers/signal-lines.js';

function find(events: KEvent[], what: string, pred: (e: KEvent) => boolean): KEvent {
  const e = events.find(pred);
  assert.ok(e, `no ${what} in the corpus`);
  return e;
}

test('a crash-looping container: the exit code and the back-off', { skip: corpusSkip() }, async () => {
  const events = await eventsOf([corpus('openshift-kubelet-journal')]);
  const died = find(events, 'PLEG exit', (e) => e.message === 'Generic (PLEG): container finished' && e.fields.exitCode === 1);
  assert.equal(evidenceFields(died), 'container-died exitCode=1');
  const backoff = find(events, 'back-off', (e) => e.message === 'Error syncing pod, skipping' && String(e.fields.err).includes('back-off 20s'));
  assert.match(evidenceFields(backoff), /^back-off-restarting backoffSeconds=20\b/);
});

test('an Event that proves a fault states its reason; context Events show their key fields', { skip: corpusSkip() }, async () => {
  const events = await eventsOf([corpus('failure-cases', 'C5', 'log')]);
  const rejected = find(events, 'OutOfcpu', (e) => e.format === 'k8s-event' && e.fields.reason === 'OutOfcpu');
  // The message ("OutOfcpu: Node didn't have enough resource...") already holds the text: not repeated.
  assert.equal(evidenceFields(rejected), 'pod-rejected');
  const created = find(events, 'SuccessfulCreate', (e) => e.format === 'k8s-event' && e.fields.reason === 'SuccessfulCreate');
  assert.match(evidenceFields(created), /^count=\d+ sourceComponent=replicaset-controller/);
});
