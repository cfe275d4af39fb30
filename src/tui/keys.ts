/**
 * Keys as the controller understands them: a name for each special key ("up", "pagedown",
 * "enter", "C-c"...) and typed text otherwise. The App reads raw input (ink splits it into
 * escape sequences and runs of text); this file names it, so the controller can be driven by
 * plain names (tests, the benchmark). Raw input rather than ink's parsed keys, because those
 * report the space bar, like the function keys, as an empty string.
 */

/** A special key by name, or typed text. */
export type KeyPress = { name: string; text?: undefined } | { text: string; name?: undefined };

/** CSI/SS3 final characters of the cursor keys (modifiers, as in ESC [1;5A, are ignored). */
const FINAL: Record<string, string> = { A: 'up', B: 'down', C: 'right', D: 'left', H: 'home', F: 'end', Z: 'backtab' };
/** ESC [ n ~ keys. */
const TILDE: Record<string, string> = { '1': 'home', '7': 'home', '4': 'end', '8': 'end', '5': 'pageup', '6': 'pagedown', '3': 'delete', '2': 'insert' };

/** Names one escape sequence (undefined: not a key this UI knows; it is dropped, never typed). */
function escapeName(seq: string): string | undefined {
  // ESC [ params final, or ESC O final (application cursor mode).
  const m = /^\x1b(?:\[\[?([\d;:]*)([A-Za-z~])|O([A-Za-z]))$/.exec(seq);
  if (!m) return undefined;
  if (m[3]) return FINAL[m[3]];
  if (m[2] === '~') return TILDE[(m[1] ?? '').split(/[;:]/)[0] ?? ''];
  return FINAL[m[2]!];
}

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

/**
 * One piece of raw input (an escape sequence, or a run of text) as key presses. Escape typed
 * quickly before another key arrives glued to it (ESC ESC, ESC i, ESC ESC [A): this UI has no
 * Alt keys, so that is Escape and then the key.
 */
export function parseInput(data: string): KeyPress[] {
  if (data === '\x1b') return [{ name: 'escape' }];
  if (data.startsWith('\x1b\x1b')) return [{ name: 'escape' }, ...parseInput(data.slice(1))];
  if (data.startsWith('\x1b')) {
    const name = escapeName(data);
    if (name) return [{ name }];
    // ESC and a plain character: Escape, then the character. Unknown sequences: nothing.
    if (data.length === 2 && data[1] !== '[' && data[1] !== 'O') return [{ name: 'escape' }, ...splitText(data.slice(1))];
    return [];
  }
  return splitText(data);
}
