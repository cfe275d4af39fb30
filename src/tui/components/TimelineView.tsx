/** An object's cross-component timeline: the object and what it owns, then every step with the time since the previous one. */
import type { TimelineBody } from '../frame.js';
import { timelineHeader, timelineRow } from '../format.js';
import { seg } from '../line.js';
import { Lines } from './Lines.js';

export function TimelineView({ body, width, height, color }: { body: TimelineBody; width: number; height: number; color: boolean }) {
  const header = timelineHeader(body.data, body.layout.showDate);
  const rows = body.visible.map(({ step, event }, i) => timelineRow(body.data, step, event, body.layout, i === body.cursor, body.marks.has(step.eventId)));
  return (
    <>
      <Lines lines={header} width={width} color={color} />
      {rows.length ? (
        <Lines lines={rows} width={width} height={height} color={color} inverse={body.cursor} />
      ) : (
        <Lines lines={[[seg('  no events are linked to this object', { tone: 'dim' })]]} width={width} height={height} color={color} />
      )}
    </>
  );
}
