/**
 * Key naming through ink's real input path: each sequence is written to ink-testing-library's
 * stdin, ink splits and parses it, and useInput hands it to pressesOf, as in the App.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import { useInput } from 'ink';
import { render } from 'ink-testing-library';
import { pressesOf, splitText, type KeyPress } from '../../../src/tui/keys.js';

function Recorder({ out }: { out: KeyPress[] }) {
  useInput((input, key) => {
    out.push(...pressesOf(input, key));
  });
  return null;
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function pressesFor(data: string): Promise<KeyPress[]> {
  const out: KeyPress[] = [];
  const inst = render(<Recorder out={out} />);
  await pause(5);
  inst.stdin.write(data);
  // A lone ESC is only known to be Escape once nothing follows it (ink flushes it on the next tick).
  await pause(20);
  inst.unmount();
  return out;
}

test('keys: escape sequences by name, typed text split at the control characters in it', async () => {
  const table: [string, KeyPress[]][] = [
    ['\x1b[A', [{ name: 'up' }]],
    ['\x1bOB', [{ name: 'down' }]],
    ['\x1b[1;5C', [{ name: 'right' }]],
    ['\x1b[5~', [{ name: 'pageup' }]],
    ['\x1b[6~', [{ name: 'pagedown' }]],
    ['\x1b[1~', [{ name: 'home' }]],
    ['\x1b[H', [{ name: 'home' }]],
    ['\x1b[4~', [{ name: 'end' }]],
    ['\x1b[Z', [{ name: 'backtab' }]],
    ['\t', [{ name: 'tab' }]],
    ['\x1b', [{ name: 'escape' }]],
    ['\x1b[15~', []], // F5: not a key here, and never typed into a query
    ['\x1b[99~', []], // a sequence nobody knows: dropped, not typed as "[99~"
    ['\x1bi', [{ name: 'escape' }, { text: 'i' }]], // Escape and i typed together
    [' ', [{ text: ' ' }]],
    ['\r', [{ name: 'enter' }]],
    ['\x7f', [{ name: 'backspace' }]],
    ['\x03', [{ name: 'C-c' }]],
    ['\x01', [{ name: 'C-a' }]],
    ['jj\r', [{ text: 'jj' }, { name: 'enter' }]],
    ['q', [{ text: 'q' }]],
    ['G', [{ text: 'G' }]],
    ['?', [{ text: '?' }]],
  ];
  for (const [input, want] of table) assert.deepEqual(await pressesFor(input), want, JSON.stringify(input));
});

test('keys: pasted text is split at its control characters, other controls dropped', () => {
  assert.deepEqual(splitText('ab\x7fc\x1b\x01'), [{ text: 'ab' }, { name: 'backspace' }, { text: 'c' }, { name: 'escape' }, { name: 'C-a' }]);
  assert.deepEqual(splitText('x\x00\x9by'), [{ text: 'x' }, { text: 'y' }]);
});
