/**
 * Screen text as styled segments. Every segment's text is neutralized (src/util/sanitize.ts)
 * when a line is fitted to the screen, so that no log text, whatever it holds, reaches the
 * terminal as anything but visible characters: this file is the one door text goes through.
 */
import type { ChalkInstance } from 'chalk';
import type { Component, Severity } from '../model/event.js';
import { componentColor, severityColor } from '../output/colors.js';
import { displayWidth, fitToWidth, headToWidth, tailToWidth, wrapToWidth } from '../util/display-width.js';
import { neutralize } from '../util/sanitize.js';

export type Tone = 'dim' | 'bold' | 'error' | 'warn' | 'accent' | 'ok' | 'mark';

export interface Seg {
  text: string;
  component?: Component;
  severity?: Severity;
  tone?: Tone;
  /** A background band (incident spans on the histogram). */
  band?: boolean;
}

export type Line = Seg[];

export function seg(text: string, style: Omit<Seg, 'text'> = {}): Seg {
  return { text, ...style };
}

/**
 * The line neutralized and cut to `width` columns (an ellipsis marks the cut). Widths are
 * display widths (a CJK character takes two columns); the component draws with truncation too,
 * so nothing can wrap.
 */
export function fitLine(line: Line, width: number): Line {
  const out: Line = [];
  let room = Math.max(0, width);
  for (const s of line) {
    if (room <= 0) break;
    const text = neutralize(s.text);
    const w = displayWidth(text);
    if (w <= room) {
      out.push({ ...s, text });
      room -= w;
    } else {
      out.push({ ...s, text: headToWidth(text, room - 1) + '…' });
      room = 0;
    }
  }
  return out;
}

/** Columns a fitted line takes. */
export function lineWidth(line: Line): number {
  return line.reduce((n, s) => n + displayWidth(s.text), 0);
}

/** Plain text of a fitted line (tests and captures). */
export function lineText(line: Line): string {
  return line.map((s) => s.text).join('');
}

function toneColor(c: ChalkInstance, tone: Tone): ChalkInstance {
  switch (tone) {
    case 'dim':
      return c.dim;
    case 'bold':
      return c.bold;
    case 'error':
      return c.red.bold;
    case 'warn':
      return c.yellow;
    case 'accent':
      return c.cyan;
    case 'ok':
      return c.green;
    case 'mark':
      return c.magenta.bold;
  }
}

function paintSeg(s: Seg, c: ChalkInstance): string {
  if (s.band) return paintSeg({ ...s, band: false }, c.bgMagenta);
  if (s.component) return componentColor(c, s.component)(s.text);
  if (s.severity) return severityColor(c, s.severity)(s.text);
  if (s.tone) return toneColor(c, s.tone)(s.text);
  return s.text;
}

const sameStyle = (a: Seg, b: Seg): boolean => a.component === b.component && a.severity === b.severity && a.tone === b.tone && !!a.band === !!b.band;

/**
 * A fitted line to one string, coloured with `c` (a chalk with level 0 when colour is off).
 * Neighbours of the same style share one escape sequence: ink's cost per frame grows with the
 * escape sequences it has to parse (a histogram line is a hundred one-character cells).
 */
export function paintLine(line: Line, c: ChalkInstance): string {
  let out = '';
  let run: Seg | undefined;
  for (const s of line) {
    if (s.text === '') continue;
    if (run && sameStyle(run, s)) {
      run = { ...run, text: run.text + s.text };
      continue;
    }
    if (run) out += paintSeg(run, c);
    run = s;
  }
  if (run) out += paintSeg(run, c);
  return out;
}

/** Text cut into lines of at most `width` columns (neutralized first: its length may grow). */
export function wrapText(text: string, width: number): string[] {
  return wrapToWidth(neutralize(text), width);
}

/**
 * A column that keeps both ends of what does not fit ("kind-con…ol-plane2"): host names differ
 * at their ends.
 */
export function padMiddle(text: string, width: number): string {
  const clean = neutralize(text);
  if (displayWidth(clean) <= width || width < 5) return fitToWidth(clean, width);
  const tail = tailToWidth(clean, Math.ceil((width - 1) / 2));
  return fitToWidth(headToWidth(clean, width - 1 - displayWidth(tail)) + '…' + tail, width);
}

/** A column: the text neutralized, then cut (with an ellipsis) or padded to exactly `width` columns. */
export function padEnd(text: string, width: number): string {
  return fitToWidth(neutralize(text), width);
}
