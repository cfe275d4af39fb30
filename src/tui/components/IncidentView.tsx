/** One incident: what, when, its root and components, its cause chain, then its evidence events. */
import type { IncidentBody } from '../frame.js';
import { evidenceRow, incidentHeader } from '../format.js';
import { Lines } from './Lines.js';

export function IncidentView({ body, width, height, color }: { body: IncidentBody; width: number; height: number; color: boolean }) {
  const header = incidentHeader(body.data, width, body.layout.showDate);
  const rows = body.visible.map(({ entry, event }, i) => evidenceRow(entry.role, event, entry.eventId, body.layout, i === body.cursor, body.marks.has(entry.eventId)));
  return (
    <>
      <Lines lines={header} width={width} color={color} />
      <Lines lines={rows} width={width} height={height} color={color} inverse={rows.length ? body.cursor : undefined} />
    </>
  );
}
