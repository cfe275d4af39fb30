/**
 * The store-backed commands over a ClickHouse store (`--db clickhouse://...` or KTRAIL_DB): with
 * PATHs, the inputs whose files are not stored yet (same path and fingerprint) are read,
 * correlated and run through incident detection in a temporary SQLite store exactly as for a
 * SQLite --db (open-store.ts does it), and that store is copied into ClickHouse as one run
 * (src/store/clickhouse/copy.ts); then the ClickHouse store answers. A URL that does not parse, a
 * server that cannot be reached or a database without ktrail's tables is a usage error (exit 2)
 * naming the URL with its password redacted, and nothing has been written.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LinkSummary } from '../correlate/link.js';
import { copyToClickhouse, fingerprintKey, storedFingerprints, type CopySummary } from '../store/clickhouse/copy.js';
import { ClickhouseUnavailableError } from '../store/clickhouse/http.js';
import { acquireIngestLock } from '../store/clickhouse/ingest-lock.js';
import { deleteOrphanRuns } from '../store/clickhouse/orphans.js';
import { ensureSchema } from '../store/clickhouse/setup.js';
import { ClickhouseStore } from '../store/clickhouse/store.js';
import { parseClickhouseUrl } from '../store/clickhouse/url.js';
import type { SourceMeta } from '../store/fingerprint.js';
import type { IngestSummary } from '../store/ingest.js';
import type { KtrailStore } from '../store/store.js';
import type { SqliteStore } from '../store/sqlite-store.js';
import { neutralize } from '../util/sanitize.js';
import { UsageError } from './usage-error.js';

/** What open-store.ts gives back for the temporary SQLite store it filled. */
export interface FilledSqlite {
  store: SqliteStore;
  ingest?: IngestSummary;
  link?: LinkSummary;
}

/** Fills a SQLite store at `file` from the command's PATHs, skipping the metas `skip` names. */
export type FillSqlite = (file: string, skip: (meta: SourceMeta) => boolean) => Promise<FilledSqlite>;

export interface OpenedClickhouse {
  store: KtrailStore;
  ingest?: IngestSummary;
  link?: LinkSummary;
  copy?: CopySummary;
}

/** Errors that mean "this URL cannot be used" rather than a bug: exit 2 with the message. */
function asUsage(err: unknown): unknown {
  if (err instanceof ClickhouseUnavailableError) return new UsageError(err.message);
  if (err instanceof Error && /: (not a ClickHouse URL|no ktrail tables|the server has no cluster|\?ttl needs)/.test(err.message)) {
    return new UsageError(err.message);
  }
  return err;
}

export async function openClickhouseFor(
  url: string,
  paths: readonly string[],
  opts: { cluster?: string; fill: FillSqlite },
): Promise<OpenedClickhouse> {
  try {
    const target = parseClickhouseUrl(url);
    let result: Omit<OpenedClickhouse, 'store'> = {};
    if (paths.length > 0) {
      const shards = await ensureSchema(target);
      // One ingest at a time, from before the stored fingerprints are read until the run is
      // visible (ingest-lock.ts); holding it, the rows of runs that never completed are removed.
      const lock = await acquireIngestLock(target, {
        onWait: (holder) => process.stderr.write(`ktrail: waiting for another ingest into ${target.redacted} to finish (${neutralize(holder)})\n`),
      });
      try {
        const orphans = await deleteOrphanRuns(target, shards);
        if (orphans.runs.length > 0) {
          process.stderr.write(`ktrail: removing the rows of ${orphans.runs.length} ingest run(s) that never completed (run ${orphans.runs.join(', ')})\n`);
        }
        const stored = await storedFingerprints(target);
        const dir = mkdtempSync(join(tmpdir(), 'ktrail-ch-ingest-'));
        try {
          const filled = await opts.fill(join(dir, 'store.db'), (m) => m.fingerprint !== undefined && stored.has(fingerprintKey(m.cluster, m.path, m.fingerprint)));
          try {
            const copy =
              filled.ingest && filled.ingest.ingested.length > 0 ? await copyToClickhouse(filled.store.db, target, shards, () => lock.check()) : undefined;
            result = { ingest: filled.ingest, link: filled.link, copy };
          } finally {
            filled.store.close();
          }
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      } finally {
        await lock.release();
      }
    }
    const store = new ClickhouseStore(url, { cluster: opts.cluster });
    store.check();
    return { store, ...result };
  } catch (err) {
    throw asUsage(err);
  }
}
