/**
 * Log text is untrusted: a line may carry terminal escape sequences that would move the cursor,
 * change colours, set the window title or worse. Everything that reaches a terminal goes through
 * `neutralize`, which makes every control character visible instead of letting it act.
 */

// C0 controls (except tab), DEL, C1 controls, and the Unicode bidi overrides and isolates that
// can make text display in an order other than the one it has.
 
const UNSAFE = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

function visible(ch: string): string {
  const code = ch.charCodeAt(0);
  if (code === 0x1b) return '␛';
  if (code === 0x0a) return '␤';
  if (code === 0x0d) return '␍';
  if (code < 0x20) return String.fromCharCode(0x2400 + code); // ␀ .. ␟, the Control Pictures block
  if (code === 0x7f) return '␡';
  return `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Anything neutralize changes: UNSAFE or a tab. One scan tells a clean line (almost all are). */
const CHANGED = /[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

/** Returns the text with every control character replaced by a visible stand-in; tabs become spaces. */
export function neutralize(text: string): string {
  // The fast path matters: almost every log line is clean, and one test scans it once (a test for
  // UNSAFE, then one for tabs, scanned it twice).
  if (!CHANGED.test(text)) return text;
  const out = text.replace(UNSAFE, visible);
  return out.includes('\t') ? out.replace(/\t/g, ' ') : out;
}
