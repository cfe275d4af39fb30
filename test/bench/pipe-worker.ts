/**
 * One measured pipe-mode run in its own process, so that its peak RSS is its own:
 *   node pipe-worker.js split|parse FILE
 * "split" only reads and splits the bytes into lines (the reference); "parse" runs the full read
 * side (envelope, payload, folding, time, merge). Prints one JSON line of results.
 */
import { createReadStream } from 'node:fs';
import { readLines } from '../../src/ingest/framing.js';
import { openSources } from '../../src/ingest/run.js';

const [mode, file] = process.argv.slice(2) as [string, string];
const started = process.hrtime.bigint();
let lines = 0;
let events = 0;
if (mode === 'split') {
  for await (const batch of readLines(createReadStream(file), { onError: () => {} })) lines += batch.length;
} else {
  // Pipe mode: the file arrives as a stream, as stdin would.
  const stream = openSources([{ input: createReadStream(file), display: '-', hints: {} }], { onError: () => {} });
  for await (const batch of stream.events) events += batch.length;
  lines = stream.stats[0]!.linesRead;
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
process.stdout.write(JSON.stringify({ mode, lines, events, seconds, peakRssMb: process.resourceUsage().maxRSS / 1024 }) + '\n');
