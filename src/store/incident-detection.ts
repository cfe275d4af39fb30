/**
 * Incident detection's side of the store (src/correlate/incidents/): the signals pass it runs
 * first, the view its rules read, and the one write that replaces every stored incident. The
 * rules decide what an incident is; this area only knows where the rows live.
 * IncidentDetectionStore is the interface a second backend implements; SqliteIncidentDetection is
 * SQLite's, over the connection the rest of SqliteStore shares.
 */
import { tmpdir } from 'node:os';
import { dirname } from 'node:path';
import type Database from 'better-sqlite3';
import { ClusterScope, clustersWithEvents } from './cluster-scope.js';
import { StoreView } from './incident-view.js';
import { writeIncidents, type ClusterIncidents } from './incident-writer.js';
import { computeSignals, type SignalRegistry } from './signals.js';

export interface IncidentDetectionStore {
  /** Recognizes every event's signals (src/signals/) into the store, replacing the last pass's. */
  computeSignals(registry: SignalRegistry): void;
  /** The clusters with events, in name order: detection runs once per cluster. */
  clusters(): string[];
  /**
   * What the rules read: linked events, objects and owners, links below `minConfidence` ignored;
   * with `cluster`, that cluster's only (absent: every cluster).
   */
  view(minConfidence: number, cluster?: string, knownSignals?: ReadonlySet<string>): StoreView;
  /**
   * Replaces every stored incident with these, each under its cluster, with at most
   * `maxEvidence` evidence rows.
   */
  replaceIncidents(clusters: readonly ClusterIncidents[], maxEvidence: number): { evidenceRows: number };
  /**
   * Where detection keeps its scratch files (the candidate spill, hundreds of MB at millions of
   * events): the disk the user gave the store, not the OS temp directory, which may be a tmpfs
   * held in memory or a small partition.
   */
  scratchDir(): string;
}

export class SqliteIncidentDetection implements IncidentDetectionStore {
  constructor(private readonly db: Database.Database) {}

  computeSignals(registry: SignalRegistry): void {
    computeSignals(this.db, registry);
  }

  clusters(): string[] {
    return clustersWithEvents(this.db);
  }

  view(minConfidence: number, cluster?: string, knownSignals?: ReadonlySet<string>): StoreView {
    return new StoreView(this.db, minConfidence, cluster === undefined ? ClusterScope.ALL : new ClusterScope(cluster), knownSignals);
  }

  replaceIncidents(clusters: readonly ClusterIncidents[], maxEvidence: number): { evidenceRows: number } {
    return writeIncidents(this.db, clusters, maxEvidence);
  }

  /** The store file's folder; the OS temp directory for an in-memory store. */
  scratchDir(): string {
    const file = this.db.name;
    return file === '' || file === ':memory:' ? tmpdir() : dirname(file);
  }
}
