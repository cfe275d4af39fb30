/**
 * pod-scheduled on real lines: the Scheduled Events of ../shared/corpus/failure-cases/C5 (a `kubectl
 * get events` dump), read through the real parsers. The node an Event document names is a fact,
 * which pod placement (src/correlate/incidents/pod-placement.ts) reads instead of the text.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { corpus, corpusSkip } from '../../helpers/paths.js';
import { eventsOf, stating } from '../../helpers/signal-lines.js';

test('failure case C5: each Scheduled Event names its node as a fact; other Events state nothing', { skip: corpusSkip() }, async () => {
  const events = await eventsOf([corpus('failure-cases/C5/log/2023-08-29T23:48:45-events.log.txt')]);
  const stated = stating(events, 'pod-scheduled');
  assert.ok(stated.length >= 3, `${stated.length} Scheduled Events`);
  for (const s of stated) {
    // "Scheduled: Successfully assigned default/fifty-cpu-util-app-67dbbf6df9-8slwm to kind-worker3"
    assert.equal(s.event.component, 'event');
    assert.match(String(s.facts['node']), /^kind-worker\d?$/);
    assert.ok(s.event.message.endsWith(` to ${String(s.facts['node'])}`), s.event.message);
    assert.equal(s.facts['event'], true);
  }
  // Look-alikes: the dump's other Events (Pulled, Created, Started, FailedScheduling...).
  assert.ok(events.length > stated.length, `${events.length} Events`);
  assert.ok(stating(events, 'failed-scheduling').every((s) => s.facts['node'] === undefined));
});
