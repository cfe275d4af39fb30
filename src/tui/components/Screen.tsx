/** The whole screen, laid out from one frame: header, histogram, the view, detail pane, input line, status. */
import { Box } from 'ink';
import type { Frame } from '../frame.js';
import { DetailPane } from './DetailPane.js';
import { EventList } from './EventList.js';
import { Header } from './Header.js';
import { HelpView } from './HelpView.js';
import { Histogram } from './Histogram.js';
import { IncidentList } from './IncidentList.js';
import { IncidentView } from './IncidentView.js';
import { InputBar } from './InputBar.js';
import { StatusBar } from './StatusBar.js';
import { TimelineView } from './TimelineView.js';

function Body({ frame }: { frame: Frame }) {
  const { body, width, bodyHeight: height, color } = frame;
  switch (body.view) {
    case 'list':
      return <EventList body={body} width={width} height={height} color={color} />;
    case 'timeline':
      return <TimelineView body={body} width={width} height={height} color={color} />;
    case 'incidents':
      return <IncidentList body={body} width={width} height={height} color={color} />;
    case 'incident':
      return <IncidentView body={body} width={width} height={height} color={color} />;
    case 'help':
      return <HelpView width={width} height={height} color={color} />;
  }
}

export function Screen({ frame }: { frame: Frame }) {
  const { width, color } = frame;
  return (
    <Box flexDirection="column" width={width} height={frame.height}>
      <Header header={frame.header} width={width} color={color} />
      {frame.histogram ? <Histogram histogram={frame.histogram} width={width} color={color} /> : null}
      <Body frame={frame} />
      {frame.detail ? <DetailPane detail={frame.detail} width={width} color={color} /> : null}
      {frame.input ? <InputBar input={frame.input} width={width} color={color} /> : null}
      <StatusBar status={frame.status} width={width} color={color} />
    </Box>
  );
}
