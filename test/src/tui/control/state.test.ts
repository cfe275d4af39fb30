/** The TUI state's layout and contexts, on the fixture store (the keys' behaviour: ../app.test.tsx). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TuiState } from '../../../../src/tui/control/state.js';
import { InputLine } from '../../../../src/tui/input-line.js';
import { TuiModel } from '../../../../src/tui/model/index.js';
import { fixtureStore } from '../fixture.js';

function state(height: number): TuiState {
  const s = new TuiState(new TuiModel(fixtureStore()), { title: 't', color: false, follow: false, clock: () => 0, onFollow: undefined });
  s.height = height;
  s.relayout();
  return s;
}

test('layout: header, status and histogram lines come off the list; the detail pane takes half of the rest', () => {
  const s = state(30);
  assert.equal(s.bodyHeight, 27);
  assert.equal(s.detailHeight, 0);
  s.detailOpen = true;
  s.relayout();
  assert.equal(s.detailHeight, 13);
  assert.equal(s.bodyHeight, 14);
  s.input = new InputLine('filter', '', []);
  s.relayout();
  assert.equal(s.detailHeight + s.bodyHeight, 25, 'the input and its problem line take two more');
});

test('layout: on the smallest screen the detail pane keeps four lines and the list one', () => {
  const s = state(8);
  assert.equal(s.bodyHeight, 5);
  s.detailOpen = true;
  s.relayout();
  assert.equal(s.detailHeight, 4);
  assert.equal(s.bodyHeight, 1);
});

test('contexts: the input, help, or the view with the focused detail pane first', () => {
  const s = state(30);
  assert.deepEqual(s.contexts(), ['list']);
  s.detailOpen = true;
  s.detailFocus = true;
  assert.deepEqual(s.contexts(), ['detail', 'list']);
  s.help = true;
  assert.deepEqual(s.contexts(), ['help']);
  s.input = new InputLine('jump', '', []);
  assert.deepEqual(s.contexts(), ['jump']);
});
