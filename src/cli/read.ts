/**
 * `ktrail [PATH...]`: every input to one time-ordered stream, printed as text, NDJSON or the
 * original lines.
 */
import type { Component, KEvent, Severity } from '../model/event.js';
import { openEventStream } from '../ingest/run.js';
import { compileSimpleFilter, parseComponents, parseLevel, parseTimeArg } from '../ingest/filter.js';
import { colorEnabled, makeChalk } from '../output/colors.js';
import { formatEventLine, formatRaw } from '../output/text.js';
import { createNdjsonSink } from '../output/ndjson.js';
import type { Diagnostics } from './diagnostics.js';

export interface ReadFlags {
  output: 'text' | 'json' | 'raw';
  component?: string[];
  level?: string;
  since?: string;
  until?: string;
  forceComponent?: string;
}

export interface CommonInputFlags {
  forceComponent?: string;
}

export function componentOverride(flags: CommonInputFlags): Component | undefined {
  if (!flags.forceComponent) return undefined;
  return parseComponents([flags.forceComponent])[0];
}

/** Writes to stdout with back-pressure, and stops quietly when the reader goes away (| head). */
function stdoutWriter(): { write(s: string): Promise<void> | void; closed: () => boolean } {
  let closed = false;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') closed = true;
    else throw err;
  });
  return {
    write(s: string) {
      if (closed) return;
      if (!process.stdout.write(s)) {
        return new Promise<void>((resolve) => process.stdout.once('drain', () => resolve()));
      }
    },
    closed: () => closed,
  };
}

export async function runRead(paths: string[], flags: ReadFlags, diag: Diagnostics): Promise<number> {
  const filter = compileSimpleFilter({
    components: flags.component ? parseComponents(flags.component) : undefined,
    minLevel: flags.level ? (parseLevel(flags.level) as Severity) : undefined,
    since: flags.since ? parseTimeArg(flags.since) : undefined,
    until: flags.until ? parseTimeArg(flags.until) : undefined,
  });
  const stdin = paths.length === 0 && !process.stdin.isTTY ? process.stdin : undefined;
  if (paths.length === 0 && !stdin) {
    process.stderr.write('ktrail: no input: give files or directories, or pipe logs in (ktrail --help)\n');
    return 2;
  }
  const stream = await openEventStream(paths, stdin, {
    componentOverride: componentOverride(flags),
    onError: (file, message) => diag.warn(file, message),
  });

  const keep = (e: KEvent): boolean => (filter ? filter(e) : true);
  if (flags.output === 'json') {
    const sink = createNdjsonSink(1);
    for await (const batch of stream.events) for (const e of batch) if (keep(e)) sink.write(e);
    await sink.close();
  } else {
    const out = stdoutWriter();
    const tty = process.stdout.isTTY === true;
    const c = makeChalk(colorEnabled(process.stdout));
    for await (const batch of stream.events) {
      let text = '';
      for (const e of batch) {
        if (!keep(e)) continue;
        if (flags.output === 'raw') text += formatRaw(e, tty) + '\n';
        else text += formatEventLine(e, c) + '\n';
      }
      if (text) await out.write(text);
      if (out.closed()) break;
    }
  }
  return diag.count > 0 ? 1 : 0;
}

