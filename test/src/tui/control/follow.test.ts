/** Deferred counts and follow mode's recount schedule, on the fixture store. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pendingDelay, runPending, toggleFollow } from '../../../../src/tui/control/follow.js';
import { TuiState } from '../../../../src/tui/control/state.js';
import { TuiModel } from '../../../../src/tui/model/index.js';
import { FIXTURE_EVENTS, fixtureStore } from '../fixture.js';

test('counts are due at once, done by runPending, and due again for another width', () => {
  let now = 1000;
  const s = new TuiState(new TuiModel(fixtureStore()), { title: 't', color: false, follow: false, clock: () => now, onFollow: undefined });
  assert.equal(pendingDelay(s), 0);
  runPending(s);
  assert.equal(pendingDelay(s), undefined);
  assert.equal(s.overview?.count, FIXTURE_EVENTS);
  assert.equal(s.overview?.histogram?.length, s.width);
  s.width = 120;
  assert.equal(pendingDelay(s), 0);
  runPending(s);
  now = 1500;
  const told: boolean[] = [];
  const f = new TuiState(new TuiModel(fixtureStore()), { title: 't', color: false, follow: false, clock: () => now, onFollow: (on) => told.push(on) });
  runPending(f);
  toggleFollow(f);
  assert.equal(f.follow, true);
  assert.equal(pendingDelay(f), 0, 'following recounts at once');
  toggleFollow(f);
  assert.deepEqual(told, [true, false]);
});
