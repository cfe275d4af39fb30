/**
 * The filter, search or jump line being typed, with the caret, and under it the live problem:
 * a ^ under the column the query parser points at, and its message.
 */
import { Box, Text } from 'ink';
import type { InputView } from '../frame.js';
import { seg, type Line } from '../line.js';
import { paint } from './Lines.js';

const PROMPT: Record<InputView['kind'], string> = { filter: 'filter /', search: 'search s', jump: 'jump to :' };

/** The problem line: ^ under the caret column, the message beside it (left of it near the right edge). */
export function problemLine(message: string, caretX: number | undefined, width: number): Line {
  if (caretX === undefined) return [seg(message, { tone: 'error' })];
  const x = Math.max(0, Math.min(width - 1, caretX));
  if (x > width / 2 && message.length + 2 > width - x) {
    const room = Math.max(0, x - 1);
    const text = message.length > room ? message.slice(0, Math.max(0, room - 1)) + '…' : message;
    return [seg(' '.repeat(Math.max(0, room - text.length))), seg(text + ' ', { tone: 'error' }), seg('^', { tone: 'error' })];
  }
  return [seg(' '.repeat(x)), seg('^ ', { tone: 'error' }), seg(message, { tone: 'error' })];
}

export function InputBar({ input, width, color }: { input: InputView; width: number; color: boolean }) {
  const prompt = PROMPT[input.kind] + ' ';
  // Scroll the text sideways so that the caret stays on screen.
  const room = Math.max(1, width - prompt.length - 1);
  const offset = Math.max(0, input.caret - room);
  const text = input.text.slice(offset);
  const caret = input.caret - offset;
  const before = text.slice(0, caret);
  const at = text.slice(caret, caret + 1) || ' ';
  const after = text.slice(caret + 1);
  const p = input.problem;
  const caretX = p?.column === undefined ? undefined : prompt.length + p.column - 1 - offset;
  return (
    <Box flexDirection="column" height={2} width={width} flexShrink={0}>
      <Text wrap="truncate-end">
        {paint([seg(prompt, { tone: 'bold' }), seg(before)], width, color)}
        <Text inverse>{paint([seg(at)], 1, color)}</Text>
        {paint([seg(after)], Math.max(0, width - prompt.length - before.length - 1), color)}
      </Text>
      <Text wrap="truncate-end">{p ? paint(problemLine(p.message, caretX, width), width, color) : ' '}</Text>
    </Box>
  );
}
