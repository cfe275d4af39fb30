/**
 * Docker's json-file log driver: `{"log":"...\n","stream":"stderr","time":"2021-06-08T18:48:23.45766111Z"}`.
 *
 * `log` holds the bytes written, newline included. Docker cuts lines longer than 16 KiB into
 * several records, and only the last one ends in "\n": records of one stream are joined until
 * one does. Other keys (`attrs` from --log-opt labels) are ignored.
 */
import type { EnvelopeParser, EnvelopeReader, EnvelopeRecord, Line, SourceHints } from '../types.js';
import { JoinBuffer, bareRecord, mergeHints } from './records.js';
import { readLeadingTimestamp } from './timestamp.js';
import { countLines } from './score.js';
import { parseJsonRecord } from '../../src/util/json.js';

// This envelope's name, added to EnvelopeName (parsers/types.ts, EnvelopeNames).
declare module '../types.js' {
  interface EnvelopeNames {
    'docker-json': true;
  }
}

export interface DockerJsonEntry {
  log: string;
  stream: 'stdout' | 'stderr' | undefined;
  time: number | undefined;
}

/** Parses one json-file line, or undefined when the line is not one. */
export function readDockerJson(text: string): DockerJsonEntry | undefined {
  // Only lines that look like the driver's output are given to JSON.parse.
  if (!text.startsWith('{"log":') && !(text.charCodeAt(0) === 123 && text.includes('"log"'))) return undefined;
  const o = parseJsonRecord(text);
  if (!o) return undefined;
  if (typeof o.log !== 'string') return undefined;
  const stream = o.stream === 'stdout' || o.stream === 'stderr' ? o.stream : undefined;
  const time = typeof o.time === 'string' ? readLeadingTimestamp(o.time)?.micros : undefined;
  if (time === undefined && stream === undefined) return undefined;
  return { log: o.log, stream, time };
}

/** `log` without the newline that ends a complete record (and a CR before it, from CRLF writers). */
function withoutNewline(log: string): string {
  if (!log.endsWith('\n')) return log;
  return log.endsWith('\r\n') ? log.slice(0, -2) : log.slice(0, -1);
}

class DockerJsonReader implements EnvelopeReader {
  private readonly hints: SourceHints;
  private readonly runs = new Map<string, JoinBuffer>();

  constructor(hints: SourceHints) {
    this.hints = hints;
  }

  push(line: Line): EnvelopeRecord[] {
    const e = readDockerJson(line.text);
    if (!e) return [bareRecord(line, this.hints)];
    const key = e.stream ?? '';
    const complete = e.log.endsWith('\n');
    let run = this.runs.get(key);
    if (!run) {
      // A complete record with no pending run is the common case: no join buffer.
      if (complete) {
        const rec: EnvelopeRecord = {
          kind: 'record',
          text: withoutNewline(e.log),
          hints: this.hints,
          firstLine: line.no,
          lastLine: line.no,
          raw: line.text,
        };
        if (e.time !== undefined) rec.time = e.time;
        if (e.stream) rec.stream = e.stream;
        if (line.truncated) rec.truncated = true;
        return [rec];
      }
      run = new JoinBuffer(line, e.time);
      this.runs.set(key, run);
    }
    run.add(line, withoutNewline(e.log));
    if (!complete) return [];
    this.runs.delete(key);
    return [run.toRecord(this.hints, e.stream)];
  }

  end(): EnvelopeRecord[] {
    const out: EnvelopeRecord[] = [];
    for (const [key, run] of this.runs) {
      out.push(run.toRecord(this.hints, key === '' ? undefined : (key as 'stdout' | 'stderr')));
    }
    this.runs.clear();
    return out.sort((a, b) => a.firstLine - b.firstLine);
  }
}

export const dockerJsonEnvelope: EnvelopeParser = {
  samples: ['{"log":"I0608 18:48:23.457661       1 server_others.go:206] Using iptables Proxier.\\n","stream":"stderr","time":"2021-06-08T18:48:23.45766111Z"}'],
  name: 'docker-json',
  nestable: true,
  score: countLines((line) => line.startsWith('{"log":') && readDockerJson(line)),
  create(ctx): EnvelopeReader {
    return new DockerJsonReader(mergeHints(ctx.hints, {}));
  },
};
