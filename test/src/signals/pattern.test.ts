/**
 * The pattern-table signal builder: named groups become facts, Go's \" is made plain, fields are
 * copied, a form's components and severity are held, `with` chooses what follows the message,
 * `unless` vetoes, and Event forms read the reason and the Event's own text.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lineText, patternSignal } from '../../../src/signals/pattern.js';

const sig = patternSignal({
  name: 'x',
  describe: 'a test signal',
  lines: [
    { components: ['kubelet'], minSeverity: 3, re: /^mount of (?<volume>\S+) failed: (?<err>.*)$/, fields: { pod: 'pod' }, unless: /harmless/ },
    { components: ['other'], re: /^state (?<state>\w+)$/, with: ['state'], fixed: { other: true } },
  ],
  events: [{ reason: /^FailedMount$/, text: /volume "(?<volume>[^"]+)"/ }],
});
const line = (component: string, message: string, fields: Record<string, unknown> = {}, severity = 3) => ({ component, message, fields, severity });

test('line forms: groups, fields, components, severity, unless, with', () => {
  assert.deepEqual(sig.match(line('kubelet', 'mount of data failed: secret \\"s\\" not found', { pod: 'ns/p' })), { volume: 'data', err: 'secret "s" not found', pod: 'ns/p' });
  assert.equal(sig.match(line('kubelet', 'mount of data failed: x', {}, 2)), undefined, 'below the form severity');
  assert.equal(sig.match(line('kube-proxy', 'mount of data failed: x')), undefined, 'another component');
  assert.equal(sig.match(line('kubelet', 'mount of data failed: harmless')), undefined, 'vetoed');
  assert.deepEqual(sig.match(line('other', 'state', { state: 'down' }, 0)), { state: 'down', other: true });
  assert.deepEqual([...sig.components].sort(), ['event', 'kube-controller-manager', 'kube-scheduler', 'kubelet', 'other']);
});

test('event forms: the reason, the text without "Reason: ", its groups', () => {
  const facts = sig.match(line('event', 'FailedMount: MountVolume.SetUp failed for volume "cfg" : nope', { reason: 'FailedMount' }, 2));
  assert.deepEqual(facts, { reason: 'FailedMount', text: 'MountVolume.SetUp failed for volume "cfg" : nope', event: true, volume: 'cfg' });
  assert.equal(sig.match(line('event', 'FailedMount: other text', { reason: 'FailedMount' }, 2)), undefined);
});

test('lineText: the message and the first error field present', () => {
  assert.equal(lineText(line('kubelet', 'm', { err: 'e', error: 'f' })), 'm e');
  assert.equal(lineText(line('kubelet', 'm', { error: 'f' })), 'm f');
  assert.equal(lineText(line('kubelet', 'm', { err: 'e' }), []), 'm');
});
