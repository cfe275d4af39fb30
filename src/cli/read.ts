/**
 * `ktrail [PATH...]`: every input to one time-ordered stream, printed as text, NDJSON or the
 * original lines.
 */
import type { Component, KEvent, Severity } from '../model/event.js';
import { openEventStream } from '../ingest/run.js';
import { compileSimpleFilter, parseComponents, parseLevel, parseTimeArg } from '../ingest/filter.js';
import { colorEnabled, makeChalk } from '../output/colors.js';
import { formatEventLine, formatRaw } from '../output/text.js';
import { createOutputWriter } from '../output/writer.js';
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
  // Both outputs wait for the reader (back-pressure) and stop quietly when it goes away (| head).
  const out = createOutputWriter(process.stdout);
  if (flags.output === 'json') {
    // pino is loaded only for JSON output.
    const { createNdjsonSink } = await import('../output/ndjson.js');
    const sink = createNdjsonSink(out);
    for await (const batch of stream.events) {
      for (const e of batch) {
        if (!keep(e)) continue;
        const wait = sink.write(e);
        if (wait) await wait;
      }
      // Each batch goes out when it is done, so a live pipe (kubectl logs -f | ktrail) is not held.
      await out.flush();
      if (out.closed()) break;
    }
    await sink.close();
  } else {
    const tty = process.stdout.isTTY === true;
    const c = makeChalk(colorEnabled(process.stdout));
    for await (const batch of stream.events) {
      for (const e of batch) {
        if (!keep(e)) continue;
        const line = flags.output === 'raw' ? formatRaw(e, tty) : formatEventLine(e, c);
        const wait = out.write(line + '\n');
        if (wait) await wait;
      }
      await out.flush();
      if (out.closed()) break;
    }
  }
  return diag.count > 0 ? 1 : 0;
}

