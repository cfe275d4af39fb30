/** The merged event list: the rows the controller read for the screen, the selection reversed. */
import type { ListBody } from '../frame.js';
import { eventRow } from '../format.js';
import { seg } from '../line.js';
import { Lines } from './Lines.js';

export function EventList({ body, width, height, color }: { body: ListBody; width: number; height: number; color: boolean }) {
  if (body.rows.length === 0) return <Lines lines={[[seg(`  ${body.empty}`, { tone: 'dim' })]]} width={width} height={height} color={color} />;
  const lines = body.rows.map((e, i) => eventRow(e, body.layout, i === body.cursor, body.marks.has(e.id)));
  return <Lines lines={lines} width={width} height={height} color={color} inverse={body.cursor} />;
}
