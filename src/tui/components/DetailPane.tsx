/** Every field of one event, its objects and refs, where it came from and its raw line. */
import type { DetailView } from '../frame.js';
import { detailLines } from '../format.js';
import { seg, type Line } from '../line.js';
import { Lines } from './Lines.js';

export function DetailPane({ detail, width, color }: { detail: DetailView; width: number; color: boolean }) {
  const all = detailLines(detail.detail, width);
  const room = Math.max(0, detail.height - 1);
  const shown = all.slice(detail.scroll, detail.scroll + room);
  const last = Math.min(all.length, detail.scroll + room);
  const title: Line = [
    seg(detail.focused ? '━━ detail ' : '── detail ', { tone: detail.focused ? 'accent' : 'dim' }),
    seg(`lines ${all.length ? detail.scroll + 1 : 0}-${last} of ${all.length}`, { tone: 'dim' }),
    seg(detail.focused ? '  (j k PgDn PgUp scroll, Tab: back)' : '  (Tab: scroll, Esc: close)', { tone: 'dim' }),
    seg(' ' + '─'.repeat(width), { tone: 'dim' }),
  ];
  return <Lines lines={[title, ...shown]} width={width} height={detail.height} color={color} />;
}
