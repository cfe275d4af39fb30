/**
 * The one place lines become ink elements: each line fitted to the width (neutralized, see
 * ../line.ts), painted with the colours of src/output/colors.ts (none when colour is off), and
 * the block padded to exactly `height` lines so that the layout never shifts.
 */
import { Box, Text } from 'ink';
import { makeChalk } from '../../output/colors.js';
import { fitLine, paintLine, type Line } from '../line.js';

export interface LinesProps {
  lines: readonly Line[];
  width: number;
  /** Exact number of lines drawn (missing ones are blank); defaults to lines.length. */
  height?: number;
  color: boolean;
  /** Index of the line drawn in reverse video (the selection). */
  inverse?: number;
}

export function paint(line: Line, width: number, color: boolean): string {
  return paintLine(fitLine(line, width), makeChalk(color));
}

export function Lines({ lines, width, height, color, inverse }: LinesProps) {
  const n = height ?? lines.length;
  const rows = [];
  for (let i = 0; i < n; i++) {
    const line = lines[i];
    const text = line ? paint(line, width, color) : '';
    rows.push(
      <Text key={i} wrap="truncate-end" inverse={i === inverse}>
        {text === '' ? ' ' : text}
      </Text>,
    );
  }
  return (
    <Box flexDirection="column" width={width} height={n} flexShrink={0}>
      {rows}
    </Box>
  );
}
