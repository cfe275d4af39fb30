import assert from 'node:assert/strict';
import test from 'node:test';
import { ANY, helpSections, hintsFor, KEYMAP, lookup, viewsBinding, type KeyContext } from '../../../src/tui/keymap.js';

const CONTEXTS: KeyContext[] = ['list', 'timeline', 'incidents', 'incident', 'detail', 'help', 'query', 'jump'];

test('keymap: no key is bound twice in one context', () => {
  for (const ctx of CONTEXTS) {
    const seen = new Map<string, string>();
    for (const b of KEYMAP.filter((x) => x.contexts.includes(ctx))) {
      for (const k of b.keys) {
        assert.ok(!seen.has(k), `${ctx}: ${JSON.stringify(k)} bound by "${seen.get(k)}" and "${b.help}"`);
        seen.set(k, b.help);
      }
    }
  }
});

test('keymap: every context has hints, and every binding is in the help once', () => {
  for (const ctx of CONTEXTS) assert.ok(hintsFor([ctx]).length > 0, ctx);
  const rows = helpSections().flatMap((s) => s.rows);
  assert.equal(rows.length, KEYMAP.length);
});

test('keymap: the focused detail pane comes before the view; other views name where a key works', () => {
  assert.equal(lookup(['detail', 'list'], 'j')?.help, 'scroll the focused detail pane');
  assert.equal(lookup(['list'], 'j')?.help, 'move one row');
  assert.equal(lookup(['detail', 'list'], '/')?.hint, '/:filter'); // not the detail's: falls through
  assert.equal(lookup(['timeline'], '/'), undefined);
  assert.deepEqual(viewsBinding('/'), ['list']);
  assert.deepEqual(viewsBinding('u'), ['timeline']);
  assert.equal(lookup(['help'], 'x')?.keys[0], ANY);
  assert.equal(lookup(['help'], 'q')?.help, 'quit');
  assert.deepEqual(hintsFor(['detail', 'list']), ['j k PgDn PgUp: scroll the detail', 'Tab: back to the list', 'Esc: unfocus']);
  assert.deepEqual(hintsFor(['list']).slice(0, 3), ['?:help', 'q:quit', '/:filter']);
});
