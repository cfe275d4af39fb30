import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backgroundColorNames, Chalk, foregroundColorNames, modifierNames } from 'chalk';
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

test('makeChalk(false), the styler that loads no chalk, gives what chalk at level 0 gives, for every style and chain', () => {
  const plain = makeChalk(false);
  const chalk0 = new Chalk({ level: 0 });
  const names = [...modifierNames, ...foregroundColorNames, ...backgroundColorNames];
  assert.ok(names.length > 40, `chalk's style names: ${names.length}`);
  // Chains of one, two and three styles, then the colour models; odd arguments as chalk takes them.
  const args: unknown[][] = [['x'], [''], [42], ['a', 'b', 3], [], [undefined], ['line 1\nline 2']];
  for (const [i, name] of names.entries()) {
    const other = names[(i * 7 + 3) % names.length]!;
    for (const a of args) {
      const call = (c: unknown): unknown => (c as (...xs: unknown[]) => unknown)(...a);
      assert.equal(call(plain[name]), call(chalk0[name]), name);
      assert.equal(call(plain[name][other].bold), call(chalk0[name][other].bold), `${name}.${other}.bold`);
      assert.equal(call(plain[name].visible), call(chalk0[name].visible), `${name}.visible`);
      assert.equal(call(plain.visible[name]), call(chalk0.visible[name]), `visible.${name}`);
    }
  }
  assert.equal(plain.rgb(1, 2, 3).bgHex('#fff').ansi256(5).bgAnsi256(6).hex('#000').bgRgb(0, 0, 0)('x'), chalk0.rgb(1, 2, 3).bgHex('#fff').ansi256(5).bgAnsi256(6).hex('#000').bgRgb(0, 0, 0)('x'));
  assert.equal(plain.level, 0);
  // The control: the coloured styler does colour.
  assert.notEqual(makeChalk(true).red('x'), 'x');
});
