/**
 * The bounds an archive is extracted within. An archive handed to `ktrail ci` may come from
 * anywhere (a CI artifact, a bug report): these stop a crafted one from filling the disk or
 * keeping the job busy for hours, while leaving room for real `kind export logs` bundles (the
 * largest seen are a few hundred MB uncompressed).
 */
export interface ArchiveLimits {
  /** Bytes written to disk for one entry. */
  maxEntryBytes: number;
  /** Bytes written to disk for the whole archive. */
  maxTotalBytes: number;
  /** Entries looked at (files, folders, links alike). */
  maxEntries: number;
  /**
   * Uncompressed-to-compressed ratio past which an entry is taken for a compression bomb. Logs
   * compress about 10:1 with gzip, very repetitive ones 50:1; a file of zeros reaches 1000:1.
   */
  maxRatio: number;
  /** The ratio is only judged once an entry has this many uncompressed bytes (small files compress arbitrarily well). */
  ratioFloorBytes: number;
  /**
   * Bytes decompressed in all, including entries read only to be skipped: a tar.gz can only be
   * skipped through by decompressing it, so this bounds the work a bomb can cause.
   */
  maxScanBytes: number;
}

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

export const DEFAULT_LIMITS: Readonly<ArchiveLimits> = {
  maxEntryBytes: 1 * GiB,
  maxTotalBytes: 4 * GiB,
  maxEntries: 100_000,
  maxRatio: 200,
  ratioFloorBytes: 16 * MiB,
  maxScanBytes: 16 * GiB,
};

/** "16 MiB", "1.5 GiB", "512 B": for messages. */
export function formatBytes(n: number): string {
  if (n >= GiB) return `${+(n / GiB).toFixed(1)} GiB`;
  if (n >= MiB) return `${+(n / MiB).toFixed(1)} MiB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}
