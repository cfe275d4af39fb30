/**
 * Display width on a terminal: a CJK character or an emoji takes two columns, a combining mark
 * none. Columns of the TUI and of the text output are measured with string-width (the library
 * ink itself measures with), and cut at grapheme boundaries, never inside a character.
 */
import { createRequire } from 'node:module';

type StringWidth = typeof import('string-width').default;
let loadedStringWidth: StringWidth | undefined;

/**
 * string-width is loaded the first time a text that is not printable ASCII is measured: importing
 * it costs about 30 ms of CPU (its emoji regex), which every command paid at start-up though most
 * text is ASCII and never needs it. Node 20.19 and later load an ES module through require(),
 * synchronously, so the measuring functions stay synchronous.
 */
function stringWidth(text: string): number {
  loadedStringWidth ??= (createRequire(import.meta.url)('string-width') as { default: StringWidth }).default;
  return loadedStringWidth(text);
}

/** Whether string-width has been loaded yet (for the test that keeps start-up free of it). */
export function stringWidthLoaded(): boolean {
  return loadedStringWidth !== undefined;
}

let segmenterMade: Intl.Segmenter | undefined;
/**
 * Graphemes of a text, with the segmenter made on first use: making one loads ICU's break rules
 * (about 10-20 ms of CPU), which every command paid at import though printable ASCII never needs it.
 */
function graphemes(text: string): Intl.Segments {
  segmenterMade ??= new Intl.Segmenter();
  return segmenterMade.segment(text);
}
/** Printable ASCII: one column per character, the common case, measured without segmenting. */
const ASCII = /^[\x20-\x7e]*$/;

export function displayWidth(text: string): number {
  return ASCII.test(text) ? text.length : stringWidth(text);
}

/** The longest start of `text` that fits in `width` columns. */
export function headToWidth(text: string, width: number): string {
  if (ASCII.test(text)) return text.slice(0, Math.max(0, width));
  let out = '';
  let used = 0;
  for (const { segment } of graphemes(text)) {
    const w = stringWidth(segment);
    if (used + w > width) break;
    out += segment;
    used += w;
  }
  return out;
}

/** The longest end of `text` that fits in `width` columns. */
export function tailToWidth(text: string, width: number): string {
  if (ASCII.test(text)) return width <= 0 ? '' : text.slice(-width);
  const parts = Array.from(graphemes(text), (s) => s.segment);
  let out = '';
  let used = 0;
  for (let i = parts.length - 1; i >= 0; i--) {
    const w = stringWidth(parts[i]!);
    if (used + w > width) break;
    out = parts[i]! + out;
    used += w;
  }
  return out;
}

/** `text` padded with spaces to at least `width` columns (never cut). */
export function padToWidth(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

/** `text` cut (an ellipsis marks the cut) or padded with spaces to exactly `width` columns. */
export function fitToWidth(text: string, width: number): string {
  const w = displayWidth(text);
  if (w <= width) return text + ' '.repeat(width - w);
  if (width <= 0) return '';
  const head = headToWidth(text, width - 1) + '…';
  return head + ' '.repeat(Math.max(0, width - displayWidth(head)));
}

/** Lines of at most `width` columns each. */
export function wrapToWidth(text: string, width: number): string[] {
  const w = Math.max(1, width);
  const out: string[] = [];
  let rest = text;
  while (displayWidth(rest) > w) {
    let head = headToWidth(rest, w);
    // A character wider than the whole line still goes somewhere.
    if (head === '') head = Array.from(graphemes(rest), (s) => s.segment)[0]!;
    out.push(head);
    rest = rest.slice(head.length);
  }
  out.push(rest);
  return out;
}
