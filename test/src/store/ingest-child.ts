/**
 * A child process for the crash test (crash.test.ts): ingests one log file into a store, one
 * event per line, printing "committed <n>" after every batch. The test kills it mid-way with
 * SIGKILL, then runs it again to completion.
 *
 * usage: node ingest-child.js <db> <log file> <batch size>
 */
import { readFileSync } from 'node:fs';
import { createWriter, describeSource, openStore } from '../../../src/store/writer.js';
import { makeEvent } from './synthetic.js';

const [dbFile, logFile, batch] = process.argv.slice(2);
if (!dbFile || !logFile || !batch) throw new Error('usage: ingest-child <db> <log file> <batch size>');

const store = openStore(dbFile);
const meta = await describeSource(logFile, 'crash.log');
const writer = createWriter(store, {
  batchSize: Number(batch),
  onCommit: (n) => process.stdout.write(`committed ${n}\n`),
});
const begin = writer.beginSource(meta);
process.stdout.write(`begin ${begin.skip ? 'skip' : 'ingest'} discarded=${begin.discardedEvents}\n`);
if (!begin.skip) {
  const lines = readFileSync(logFile, 'utf8').split('\n').filter(Boolean);
  const events = lines.map((text, i) =>
    makeEvent({
      seq: i + 1,
      message: text,
      raw: text,
      fields: { n: i },
      objects: [{ kind: 'Pod', namespace: 'default', name: `web-${i % 7}`, via: 'field' }],
      source: { file: 'crash.log', line: i + 1, endLine: i + 1, format: 'none/unknown' },
    }),
  );
  // Feed in slices, as the pipeline does, so the kill can land between or inside transactions.
  for (let i = 0; i < events.length; i += 500) writer.addEvents(begin.id, events.slice(i, i + 500));
  writer.completeSource(begin.id, { envelope: 'none', events: events.length });
}
store.close();
process.stdout.write('done\n');
