/**
 * The keys, from the keymap: one line per binding under the context it belongs to, flowed into
 * as many columns as the screen's height needs (each column cut to its width).
 */
import { helpSections } from '../keymap.js';
import { fitLine, lineWidth, padEnd, seg, type Line } from '../line.js';
import { Lines } from './Lines.js';

export function helpLines(): Line[] {
  const sections = helpSections();
  const keyWidth = Math.max(...sections.flatMap((s) => s.rows.map(([k]) => k.length))) + 2;
  const lines: Line[] = [];
  for (const s of sections) {
    lines.push([seg(`keys in ${s.title}`, { tone: 'bold' })]);
    for (const [k, what] of s.rows) lines.push([seg('  ' + padEnd(k, keyWidth), { tone: 'accent' }), seg(what)]);
  }
  return lines;
}

/** `lines` in columns of `height` rows, side by side, each cut to its share of `width`. */
export function flowColumns(lines: readonly Line[], width: number, height: number): Line[] {
  const rows = Math.max(1, height);
  const columns = Math.ceil(lines.length / rows);
  if (columns <= 1) return [...lines];
  const colWidth = Math.floor(width / columns);
  const out: Line[] = [];
  for (let r = 0; r < Math.min(rows, lines.length); r++) {
    const row: Line = [];
    for (let c = 0; c < columns; c++) {
      const cell = lines[c * rows + r];
      if (!cell) break;
      const fitted = fitLine(cell, colWidth - 1);
      row.push(...fitted, seg(' '.repeat(Math.max(0, colWidth - lineWidth(fitted)))));
    }
    out.push(row);
  }
  return out;
}

export function HelpView({ width, height, color }: { width: number; height: number; color: boolean }) {
  return <Lines lines={flowColumns(helpLines(), width, height)} width={width} height={height} color={color} />;
}
