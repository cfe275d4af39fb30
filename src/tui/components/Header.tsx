/** The top line: what is shown (title, count, filter, search), follow mode, marks. */
import type { HeaderView } from '../frame.js';
import { seg, type Line } from '../line.js';
import { Lines } from './Lines.js';

export function headerLine(h: HeaderView): Line {
  const line: Line = [seg(h.title, { tone: 'bold' })];
  line.push(seg(h.total === undefined ? '  counting…' : `  ${h.total.toLocaleString('en-US')} events`, { tone: 'dim' }));
  if (h.filter) line.push(seg('  filter ', { tone: 'dim' }), seg(h.filter, { tone: 'accent' }));
  if (h.search) line.push(seg('  search ', { tone: 'dim' }), seg(h.search, { tone: 'accent' }));
  if (h.marks) line.push(seg(`  ${h.marks} marked`, { tone: 'mark' }));
  if (h.follow) line.push(seg('  FOLLOW', { tone: 'ok' }));
  return line;
}

export function Header({ header, width, color }: { header: HeaderView; width: number; color: boolean }) {
  return <Lines lines={[headerLine(header)]} width={width} color={color} />;
}
