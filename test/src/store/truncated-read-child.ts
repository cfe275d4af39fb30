/**
 * A child process for truncated-store.test.ts: opens a store read-only as every reader does,
 * reads the rows of `grow` one at a time, and after the first has been read asks its parent
 * (by a line on stdout) to truncate the file, then waits for its answer on stdin and reads on.
 * Prints "read N" when every row was read, or "error CODE" when the read failed: either way it
 * exits by itself. A crash (SIGBUS) is what the test guards against.
 *
 * usage: node truncated-read-child.js <db>
 */
import { openStore } from '../../../src/store/writer.js';

const [dbFile] = process.argv.slice(2);
if (!dbFile) throw new Error('usage: truncated-read-child <db>');

const store = openStore(dbFile, { readonly: true });
const rows = store.db.prepare('SELECT text FROM grow ORDER BY n').pluck().iterate() as IterableIterator<string>;
let read = 0;
try {
  for (const text of rows) {
    read += text.length > 0 ? 1 : 0;
    if (read === 1) {
      process.stdout.write('truncate now\n');
      await new Promise((resolve) => process.stdin.once('data', resolve));
      process.stdin.pause();
    }
  }
  process.stdout.write(`read ${read}\n`);
} catch (err) {
  process.stdout.write(`error ${(err as { code?: string }).code ?? String(err)}\n`);
} finally {
  store.close();
}
