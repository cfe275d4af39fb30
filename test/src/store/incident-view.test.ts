/** The rules' view of a linked store (src/store/incident-view.ts), on a real capture. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ingestPaths } from '../../../src/correlate/ingest-paths.js';
import { linkObjects } from '../../../src/correlate/link.js';
import { openStore } from '../../../src/store/writer.js';
import { corpus, corpusSkip } from '../../helpers/paths.js';

test('writerId is the id of writer() for every event of a real capture, without reading its links', { skip: corpusSkip() }, async () => {
  const store = openStore(':memory:');
  await ingestPaths(store, [corpus('kind-1.32-bundle')]);
  linkObjects(store.correlation);
  const view = store.detection.view(0.5);
  const ids = store.db.prepare('SELECT id FROM events ORDER BY id').pluck().all() as number[];
  let written = 0;
  for (const id of ids) {
    const w = view.writer(id);
    assert.equal(view.writerId(id), w?.id, `event ${id}`);
    if (w) written++;
  }
  assert.ok(written > 100 && written < ids.length, `some events have a writer pod, not all (${written} of ${ids.length})`);
  store.close();
});
