/**
 * `ktrail ingest PATH... [--db FILE] [--cluster NAME]`: reads inputs into the store and
 * correlates them. The inputs are stored under --cluster, else each under its own cluster name
 * (src/ingest/cluster-name.ts).
 */
import type { Diagnostics } from './diagnostics.js';
import { openStoreFor, type StoreFlags } from './open-store.js';
import { componentOverride } from './read.js';
import { formatOffset } from '../correlate/skew.js';
import { storedShifts } from '../correlate/skew-fix.js';
import { neutralize } from '../util/sanitize.js';

/** "kind-worker -1.503 s, kind-worker2 +702 ms", or "nothing moved"; host names are log text. */
function shiftText(shifts: Record<string, number>): string {
  const moved = Object.entries(shifts).sort((a, b) => (a[0] < b[0] ? -1 : 1));
  return moved.length ? moved.map(([host, us]) => `${neutralize(host)} ${formatOffset(us)}`).join(', ') : 'nothing moved';
}

export async function runIngest(paths: string[], flags: StoreFlags & { json?: boolean }, diag: Diagnostics): Promise<number> {
  const started = Date.now();
  const { store, ingest, link, copy } = await openStoreFor(paths, flags, diag, {
    componentOverride: componentOverride({ forceComponent: flags.as }),
    // Ingesting is how an interrupted store is completed: it must not refuse one.
    requireComplete: false,
    clusterLabel: true,
  });
  try {
    // --fix-skew is recorded per source (correlate/skew-fix.ts): what the store now holds moved.
    const shifts = storedShifts(store.sources.list());
    const summary = {
      db: store.file,
      ingested: ingest?.ingested.length ?? 0,
      skipped: ingest?.skipped.length ?? 0,
      events: ingest?.events ?? 0,
      discardedEvents: ingest?.discardedEvents ?? 0,
      objects: link?.objects,
      links: link?.links,
      owners: link?.owners,
      seconds: (Date.now() - started) / 1000,
      copySeconds: copy?.seconds,
      /** Host -> µs its events were moved by (--fix-skew), {} when none needed it. */
      clockShiftUs: shifts,
    };
    if (flags.json) process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
    else {
      process.stdout.write(
        `${store.file}: ${summary.events.toLocaleString()} events from ${summary.ingested} sources ingested` +
          (summary.skipped ? `, ${summary.skipped} unchanged sources skipped` : '') +
          (link ? `; ${link.objects.toLocaleString()} objects, ${link.links.toLocaleString()} links, ${link.owners} owner edges` : '') +
          ` in ${summary.seconds.toFixed(1)} s` +
          (copy ? ` (of which ${copy.seconds.toFixed(1)} s copying to ClickHouse)` : '') +
          (shifts ? `; clocks fixed: ${shiftText(shifts)}` : '') +
          '\n',
      );
    }
    return diag.count > 0 ? 1 : 0;
  } finally {
    store.close();
  }
}
