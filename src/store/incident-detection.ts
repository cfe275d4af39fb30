/**
 * Incident detection's side of the store (src/correlate/incidents/): the signals pass it runs
 * first, the view its rules read, and the one write that replaces every stored incident. The
 * rules decide what an incident is; this area only knows where the rows live.
 * IncidentDetectionStore is the interface a second backend implements; SqliteIncidentDetection is
 * SQLite's, over the connection the rest of SqliteStore shares.
 */
import type Database from 'better-sqlite3';
import type { Candidate } from '../correlate/incidents/types.js';
import { StoreView } from './incident-view.js';
import { writeIncidents } from './incident-writer.js';
import { computeSignals } from './signals.js';

export interface IncidentDetectionStore {
  /** Recognizes every event's signals (src/signals/) into the store, replacing the last pass's. */
  computeSignals(): void;
  /** What the rules read: linked events, objects and owners, links below `minConfidence` ignored. */
  view(minConfidence: number): StoreView;
  /** Replaces every stored incident with these, each with at most `maxEvidence` evidence rows. */
  replaceIncidents(candidates: readonly Candidate[], maxEvidence: number): { evidenceRows: number };
}

export class SqliteIncidentDetection implements IncidentDetectionStore {
  constructor(private readonly db: Database.Database) {}

  computeSignals(): void {
    computeSignals(this.db);
  }

  view(minConfidence: number): StoreView {
    return new StoreView(this.db, minConfidence);
  }

  replaceIncidents(candidates: readonly Candidate[], maxEvidence: number): { evidenceRows: number } {
    return writeIncidents(this.db, candidates, maxEvidence);
  }
}
