/** The top line: what is shown (title, count), what was found (incidents, errors, warnings), filter, search, follow mode, marks. */
import type { HeaderView } from '../frame.js';
import { seg, type Line } from '../line.js';
import { Lines } from './Lines.js';

export function headerLine(h: HeaderView): Line {
  const line: Line = [seg(h.title, { tone: 'bold' })];
  line.push(seg(h.total === undefined ? '  counting…' : `  ${h.total.toLocaleString('en-US')} events`, { tone: 'dim' }));
  if (h.incidents > 0) line.push(seg(`  ${h.incidents} incident${h.incidents === 1 ? '' : 's'} (i)`, { tone: 'error' }));
  if (h.errors !== undefined) line.push(seg(`  ${h.errors.toLocaleString('en-US')} errors`, { tone: h.errors ? 'error' : 'dim' }));
  if (h.warnings !== undefined) line.push(seg(`  ${h.warnings.toLocaleString('en-US')} warnings`, { tone: h.warnings ? 'warn' : 'dim' }));
  if (h.filter) line.push(seg('  filter ', { tone: 'dim' }), seg(h.filter, { tone: 'accent' }));
  if (h.search) line.push(seg('  search ', { tone: 'dim' }), seg(h.search, { tone: 'accent' }));
  if (h.marks) line.push(seg(`  ${h.marks} marked`, { tone: 'mark' }));
  if (h.follow) line.push(seg('  FOLLOW', { tone: 'ok' }));
  return line;
}

export function Header({ header, width, color }: { header: HeaderView; width: number; color: boolean }) {
  return <Lines lines={[headerLine(header)]} width={width} color={color} />;
}
