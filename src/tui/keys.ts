/**
 * Keys as the controller understands them: a name for each special key ("up", "pagedown",
 * "enter", "C-c"...) and typed text otherwise. The App gets ink's keys (useInput); this file
 * names them, so the controller can be driven by plain names (tests, the benchmark).
 */
import type { Key } from 'ink';

/** A special key by name, or typed text. */
export type KeyPress = { name: string; text?: undefined } | { text: string; name?: undefined };

/**
 * Text that arrived in one piece (keys typed faster than they are read, a paste) split into
 * runs of plain text and the special keys hidden in it: "jj\r" is j, j, Enter.
 */
export function splitText(text: string): KeyPress[] {
  const out: KeyPress[] = [];
  let run = '';
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    let name: string | undefined;
    if (ch === '\r' || ch === '\n') name = 'enter';
    else if (ch === '\t') name = 'tab';
    else if (ch === '\x7f' || ch === '\b') name = 'backspace';
    else if (ch === '\x1b') name = 'escape';
    else if (code >= 1 && code <= 26) name = `C-${String.fromCharCode(code + 96)}`;
    else if (code < 0x20 || (code >= 0x80 && code < 0xa0)) name = ''; // other controls: dropped
    if (name === undefined) {
      run += ch;
      continue;
    }
    if (run) out.push({ text: run });
    run = '';
    if (name) out.push({ name });
  }
  if (run) out.push({ text: run });
  return out;
}

/** The named keys of ink's Key, in the order they are tested. */
const NAMED: [keyof Key, string][] = [
  ['upArrow', 'up'],
  ['downArrow', 'down'],
  ['leftArrow', 'left'],
  ['rightArrow', 'right'],
  ['pageUp', 'pageup'],
  ['pageDown', 'pagedown'],
  ['home', 'home'],
  ['end', 'end'],
  ['return', 'enter'],
  // ink reports the Backspace key (DEL, 0x7f) as `delete`, like the Delete key: both erase
  // backwards here, as they do in most line editors on a terminal.
  ['backspace', 'backspace'],
  ['delete', 'backspace'],
];

/**
 * What is left of an escape sequence ink does not know once it has dropped the ESC ("[99~",
 * "[200~" around a bracketed paste, "O5P"): never typed as text.
 */
const UNKNOWN_SEQUENCE = /^(?:\[[\d;:<=>?]*[ -/]*[@-~]|O\d*[A-Za-z])$/;

/**
 * One input event of ink's public useInput as key presses. ink splits input into escape
 * sequences and runs of text; a run can hold keys typed faster than they are read ("jj\r").
 * ESC glued to a character (ESC i, typed quickly) is Escape and then the key: this UI has no
 * Alt keys. Keys this UI has no name for (F1...) give nothing.
 */
export function pressesOf(input: string, key: Key): KeyPress[] {
  if (key.escape) return [{ name: 'escape' }];
  if (key.tab) return [{ name: key.shift ? 'backtab' : 'tab' }];
  for (const [flag, name] of NAMED) if (key[flag]) return [{ name }];
  if (key.ctrl && /^[a-z]$/.test(input)) return [{ name: `C-${input}` }];
  if (input === '' || UNKNOWN_SEQUENCE.test(input)) return [];
  if (key.meta) return [{ name: 'escape' }, ...splitText(input)];
  return splitText(input);
}
