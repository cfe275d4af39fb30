/**
 * CRI container logs (containerd, CRI-O; kind's containers/ and pods/ files):
 * `2025-03-21T14:51:23.344949051Z stderr F <payload>`.
 *
 * The tag `P` marks a partial line (the runtime cut a long line, 16 KiB in containerd): the
 * record is the concatenation of the `P` records of one stream up to and including the next `F`
 * of that stream. The other stream may interleave meanwhile; its records pass through as they
 * come, so a joined record is emitted after them but carries its first line's number and time.
 */
import type { EnvelopeParser, EnvelopeReader, EnvelopeRecord, Line, SourceHints } from '../types.js';
import { readLeadingTimestamp } from './timestamp.js';
import { JoinBuffer, bareRecord, mergeHints } from './records.js';
import { countLines } from './score.js';

// This envelope's name, added to EnvelopeName (parsers/types.ts, EnvelopeNames).
declare module '../types.js' {
  interface EnvelopeNames {
    cri: true;
  }
}

export interface CriHeader {
  micros: number;
  stream: 'stdout' | 'stderr';
  partial: boolean;
  /** Index of the payload's first character (at or past the end of the text: empty payload). */
  payload: number;
}

/** Reads the CRI prefix of a line, or undefined when the line is not a CRI record. */
export function readCriHeader(text: string): CriHeader | undefined {
  const ts = readLeadingTimestamp(text);
  if (!ts) return undefined;
  let i = ts.payload;
  let stream: 'stdout' | 'stderr';
  if (text.startsWith('stdout ', i)) stream = 'stdout';
  else if (text.startsWith('stderr ', i)) stream = 'stderr';
  else return undefined;
  i += 7;
  const tag = text.charCodeAt(i);
  if (tag !== 80 && tag !== 70) return undefined; // 'P' | 'F'
  i++;
  // The CRI spec allows more tags after a ':' (`F:x`); only P/F matter here.
  if (text.charCodeAt(i) === 58) {
    while (i < text.length && text.charCodeAt(i) !== 32) i++;
  }
  if (i < text.length && text.charCodeAt(i) !== 32) return undefined;
  return { micros: ts.micros, stream, partial: tag === 80, payload: i + 1 };
}

class CriReader implements EnvelopeReader {
  private readonly hints: SourceHints;
  private stdout: JoinBuffer | undefined;
  private stderr: JoinBuffer | undefined;

  constructor(hints: SourceHints) {
    this.hints = hints;
  }

  push(line: Line): EnvelopeRecord[] {
    const h = readCriHeader(line.text);
    if (!h) return [bareRecord(line, this.hints)];
    const payload = h.payload >= line.text.length ? '' : line.text.slice(h.payload);
    let run = h.stream === 'stdout' ? this.stdout : this.stderr;
    if (h.partial) {
      if (!run) {
        run = new JoinBuffer(line, h.micros);
        if (h.stream === 'stdout') this.stdout = run;
        else this.stderr = run;
      }
      run.add(line, payload);
      return [];
    }
    if (!run) {
      // The common case, built in one literal (one object shape for every record).
      const rec: EnvelopeRecord = {
        kind: 'record',
        text: payload,
        time: h.micros,
        stream: h.stream,
        hints: this.hints,
        firstLine: line.no,
        lastLine: line.no,
        raw: line.text,
      };
      if (line.truncated) rec.truncated = true;
      return [rec];
    }
    run.add(line, payload);
    if (h.stream === 'stdout') this.stdout = undefined;
    else this.stderr = undefined;
    return [run.toRecord(this.hints, h.stream)];
  }

  end(): EnvelopeRecord[] {
    const runs: [JoinBuffer, 'stdout' | 'stderr'][] = [];
    if (this.stdout) runs.push([this.stdout, 'stdout']);
    if (this.stderr) runs.push([this.stderr, 'stderr']);
    this.stdout = this.stderr = undefined;
    runs.sort((a, b) => a[0].firstLine - b[0].firstLine);
    return runs.map(([run, stream]) => run.toRecord(this.hints, stream));
  }
}

export const criEnvelope: EnvelopeParser = {
  samples: ['2025-03-21T14:51:23.344949123Z stderr F I0321 14:51:23.344949       1 server.go:155] "Starting"', '2025-03-21T14:51:23.344949123Z stdout P part one of a long line'],
  name: 'cri',
  nestable: true,
  score: countLines(readCriHeader),
  create(ctx): EnvelopeReader {
    return new CriReader(mergeHints(ctx.hints, {}));
  },
};
