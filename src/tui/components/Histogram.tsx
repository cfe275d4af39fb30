/**
 * Events over time by severity, one block character per column: its height is the count (on a
 * square-root scale, so that a quiet minute still shows beside a storm without flattening the
 * rest), its colour the worst severity in the column. The selected event's column is drawn in
 * reverse video. Columns in which an incident was going on are drawn on a band of colour, and
 * without colour their empty cells show `░`.
 */
import { Box, Text } from 'ink';
import type { HistogramBucket } from '../../store/reader.js';
import type { HistogramView } from '../frame.js';
import { seg, type Line, type Seg } from '../line.js';
import { paint } from './Lines.js';

const BLOCKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

export function histogramCells(buckets: readonly HistogramBucket[], width: number, spans: readonly { start: number; end: number }[] = []): Line {
  const shown = buckets.slice(0, width);
  const totals = shown.map((b) => b.counts.reduce((a, n) => a + n, 0));
  const max = Math.max(1, ...totals);
  return shown.map((b, i) => {
    const inIncident = spans.some((s) => s.start < b.end && s.end >= b.start);
    const cell = histogramCell(b, totals[i]!, max);
    return inIncident ? { ...cell, band: true, text: cell.text === ' ' ? '░' : cell.text } : cell;
  });
}

function histogramCell(b: HistogramBucket, total: number, max: number): Seg {
  if (total === 0) return seg(' ');
  const level = Math.max(1, Math.ceil(Math.sqrt(total / max) * BLOCKS.length));
  const ch = BLOCKS[Math.min(BLOCKS.length, level) - 1]!;
  if (b.counts[3] + b.counts[4] > 0) return seg(ch, { severity: 'error' });
  if (b.counts[2] > 0) return seg(ch, { severity: 'warn' });
  return seg(ch, { tone: 'dim' });
}

export function Histogram({ histogram, width, color }: { histogram: HistogramView; width: number; color: boolean }) {
  if (!histogram.buckets) {
    return (
      <Box height={1} width={width} flexShrink={0}>
        <Text wrap="truncate-end">{paint([seg('histogram: counting…', { tone: 'dim' })], width, color)}</Text>
      </Box>
    );
  }
  const cells = histogramCells(histogram.buckets, width, histogram.spans);
  const at = histogram.cursorBucket;
  const before = at === undefined ? cells : cells.slice(0, at);
  const cursor = at === undefined ? [] : cells.slice(at, at + 1);
  const after = at === undefined ? [] : cells.slice(at + 1);
  return (
    <Box height={1} width={width} flexShrink={0}>
      <Text wrap="truncate-end">
        {paint(before, width, color)}
        {cursor.length ? <Text inverse>{paint(cursor.map((c) => (c.text === ' ' ? { ...c, text: '·' } : c)), 1, color)}</Text> : null}
        {paint(after, width, color)}
      </Text>
    </Box>
  );
}
