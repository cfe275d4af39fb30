/** The keys, one per line. */
import { HELP } from '../format.js';
import { padEnd, seg, type Line } from '../line.js';
import { Lines } from './Lines.js';

export function HelpView({ width, height, color }: { width: number; height: number; color: boolean }) {
  const keyWidth = Math.max(...HELP.map(([k]) => k.length)) + 2;
  const lines: Line[] = [[seg('keys', { tone: 'bold' })], ...HELP.map(([k, what]) => [seg('  ' + padEnd(k, keyWidth), { tone: 'accent' }), seg(what)])];
  return <Lines lines={lines} width={width} height={height} color={color} />;
}
