/** The bottom line: a message or the keys of the view on the left, the selection's time on the right. */
import { displayWidth, fitToWidth } from '../../util/display-width.js';
import type { StatusView } from '../frame.js';
import { seg, type Line } from '../line.js';
import { Lines } from './Lines.js';

/** As many hints as fit in `room` characters, in the order given. */
export function fitHints(hints: readonly string[], room: number): string {
  let out = '';
  for (const h of hints) {
    const next = out ? `${out}  ${h}` : h;
    if (displayWidth(next) > room) break;
    out = next;
  }
  return out;
}

export function statusLine(s: StatusView, width: number): Line {
  const right = s.position ? ` ${s.position}` : '';
  const leftRoom = Math.max(0, width - right.length);
  const left = s.message
    ? seg(s.message.text, { tone: s.message.tone === 'error' ? 'error' : 'bold' })
    : seg(fitHints(s.hints, leftRoom - 1), { tone: 'dim' });
  return [{ ...left, text: fitToWidth(left.text, leftRoom) }, seg(right, { tone: 'accent' })];
}

export function StatusBar({ status, width, color }: { status: StatusView; width: number; color: boolean }) {
  return <Lines lines={[statusLine(status, width)]} width={width} color={color} />;
}
