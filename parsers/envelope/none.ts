/**
 * No envelope: the file is the component's own output (a raw klog file, a CoreDNS query log,
 * audit JSON lines). Every line is a record of its own, with no envelope time.
 */
import type { EnvelopeParser, EnvelopeReader, EnvelopeRecord, Line } from '../types.js';
import { bareRecord, mergeHints } from './records.js';

// This envelope's name, added to EnvelopeName (parsers/types.ts, EnvelopeNames).
declare module '../types.js' {
  interface EnvelopeNames {
    none: true;
  }
}

export const noEnvelope: EnvelopeParser = {
  name: 'none',
  nestable: true,
  /**
   * A low constant: it accepts anything, so any envelope that recognizes even one line wins
   * (on a tie the registry order puts `none` last).
   */
  score(): number {
    return 1;
  },
  create(ctx): EnvelopeReader {
    const hints = mergeHints(ctx.hints, {});
    return {
      push(line: Line): EnvelopeRecord[] {
        return [bareRecord(line, hints)];
      },
      end(): EnvelopeRecord[] {
        return [];
      },
    };
  },
};
