/** The incidents detection found: severity, kind, start and length, root object, summary. */
import type { IncidentsBody } from '../frame.js';
import { incidentRow } from '../format.js';
import { seg } from '../line.js';
import { Lines } from './Lines.js';

export function IncidentList({ body, width, height, color }: { body: IncidentsBody; width: number; height: number; color: boolean }) {
  const title = [seg(`incidents (${body.total})`, { tone: 'bold' }), seg('  Enter: evidence and cause chain   t: root object timeline', { tone: 'dim' })];
  const rows = body.visible.map((r, i) => incidentRow(r, body.columns, i === body.cursor));
  return (
    <>
      <Lines lines={[title]} width={width} color={color} />
      {rows.length ? (
        <Lines lines={rows} width={width} height={height} color={color} inverse={body.cursor} />
      ) : (
        <Lines lines={[[seg('  no incidents in this store', { tone: 'dim' })]]} width={width} height={height} color={color} />
      )}
    </>
  );
}
