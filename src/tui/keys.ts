/**
 * Keys as the controller understands them: a name for each special key ("<up>", "<pagedown>",
 * "<enter>", "<C-c>"...) and the typed text otherwise. The terminal library's key objects stop
 * here, so the controller can be driven by plain names (tests, the benchmark).
 */

/** The parts of ink's Key that matter here. */
export interface KeyInfo {
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  home?: boolean;
  end?: boolean;
  return?: boolean;
  escape?: boolean;
  ctrl?: boolean;
  shift?: boolean;
  tab?: boolean;
  backspace?: boolean;
  delete?: boolean;
  meta?: boolean;
}

/** A special key by name ("up", "pagedown", "enter", "C-c"...), or typed text. */
export type KeyPress = { name: string; text?: undefined } | { text: string; name?: undefined };

function named(input: string, key: KeyInfo): string | undefined {
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.pageUp) return 'pageup';
  if (key.pageDown) return 'pagedown';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.return) return 'enter';
  if (key.escape) return 'escape';
  if (key.tab) return key.shift ? 'backtab' : 'tab';
  // Terminals send DEL (0x7f) for the backspace key, which ink reports as delete.
  if (key.backspace || key.delete) return 'backspace';
  if (key.ctrl && input.length === 1) return `C-${input.toLowerCase()}`;
  if (key.meta) return `M-${input}`;
  return undefined;
}

export function toKeyPress(input: string, key: KeyInfo): KeyPress {
  const name = named(input, key);
  return name === undefined ? { text: input } : { name };
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
