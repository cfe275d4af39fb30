import assert from 'node:assert/strict';
import { test } from 'node:test';
import { colorEnabled, componentColor, makeChalk, severityColor } from '../../../src/output/colors.js';
import { COMPONENTS } from '../../../src/model/event.js';

test('componentColor: each named component its own colour, the rest white; none at level 0', () => {
  const c = makeChalk(true);
  assert.equal(componentColor(c, 'etcd')('x'), '\u001b[35mx\u001b[39m');
  assert.equal(componentColor(c, 'kubelet')('x'), '\u001b[94mx\u001b[39m');
  assert.equal(componentColor(c, 'other')('x'), '\u001b[37mx\u001b[39m');
  const named = COMPONENTS.filter((k) => k !== 'other').map((k) => componentColor(c, k)('x'));
  assert.equal(new Set(named).size, named.length, 'two components share a colour');
  assert.equal(componentColor(makeChalk(false), 'etcd')('x'), 'x');
});

test('severityColor: fatal white on red, error red, warn yellow, debug grey, info plain', () => {
  const c = makeChalk(true);
  assert.equal(severityColor(c, 'fatal')('x'), '\u001b[41m\u001b[37m\u001b[1mx\u001b[22m\u001b[39m\u001b[49m');
  assert.equal(severityColor(c, 'error')('x'), '\u001b[31m\u001b[1mx\u001b[22m\u001b[39m');
  assert.equal(severityColor(c, 'warn')('x'), '\u001b[33mx\u001b[39m');
  assert.equal(severityColor(c, 'debug')('x'), '\u001b[90mx\u001b[39m');
  assert.equal(severityColor(c, 'info')('x'), '\u001b[0mx\u001b[0m');
});

test('colorEnabled: NO_COLOR wins, FORCE_COLOR forces, otherwise a terminal that is not dumb', () => {
  assert.equal(colorEnabled({ isTTY: true }, { NO_COLOR: '1', FORCE_COLOR: '1' }), false);
  assert.equal(colorEnabled({ isTTY: false }, { FORCE_COLOR: '1' }), true);
  assert.equal(colorEnabled({ isTTY: true }, { TERM: 'dumb' }), false);
  assert.equal(colorEnabled({ isTTY: true }, {}), true);
  assert.equal(colorEnabled({}, {}), false);
});
