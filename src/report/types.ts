/**
 * The CI report: everything `ktrail ci` found, in one JSON-ready object. Every output (terminal,
 * JUnit, Markdown, annotations, HTML) is drawn from it, and `--json` writes it as it is: its
 * shape is versioned (schemaVersion) and documented by docs/schemas/ci-report.v1.schema.json.
 * Nothing in it depends on the wall clock or on where temporary files went, so the same logs
 * give the same report.
 */
import type { Severity } from '../model/event.js';
import type { ExpectationResults } from './expect.js';

export const REPORT_SCHEMA_VERSION = 1;

/** What fails a run: incidents at this severity or above (none: only unmet requirements). */
export type FailOn = Severity | 'none';

export interface ReportObject {
  kind: string;
  namespace: string | null;
  name: string | null;
  uid: string | null;
  /** kind/namespace/name as ktrail writes it (pod/default/web-1, node/kind-worker). */
  label: string;
}

export interface EvidenceLine {
  eventId: number;
  /** The source file as ktrail names it: relative to the input folder or archive. */
  file: string;
  line: number;
  component: string;
  host: string | null;
  role: string;
  severity: Severity;
  /** RFC 3339 with microseconds, UTC. */
  time: string;
  message: string;
  /** What makes the line evidence: its signals' facts (exit code, image, reason...), else its key fields. */
  facts: string;
}

/**
 * failing: at or above --fail-on and not accepted; accepted: taken by an accept rule;
 * below-threshold: under --fail-on.
 */
export type IncidentStatus = 'failing' | 'accepted' | 'below-threshold';

export interface ReportIncident {
  id: number;
  kind: string;
  severity: Severity;
  start: string;
  end: string;
  startUs: number;
  endUs: number;
  root: ReportObject;
  summary: string;
  components: string[];
  counts: Record<string, number>;
  status: IncidentStatus;
  /** Index of the accept rule that took it, or null. */
  acceptedBy: number | null;
  /** The first evidence lines: triggers first, then the rest, each group in time order. */
  evidence: EvidenceLine[];
  evidenceTotal: number;
  /** What led to it and what followed, as the detector wrote it (kind, object, time, summary). */
  causeChain: { kind: string; object: string; time: string; summary: string; incidentId: number | null }[];
}

export interface ComponentCounts {
  component: string;
  events: number;
  bySeverity: Record<Severity, number>;
  /** Incidents with evidence from this component. */
  incidents: number;
}

export interface TimelineLine {
  time: string;
  component: string;
  host: string | null;
  severity: Severity;
  message: string;
  file: string;
  line: number;
  /** How many times this (component, message) came in a row, this one included. */
  repeats: number;
}

export interface TimelineExcerpt {
  root: ReportObject;
  incidents: number[];
  /** Events of the root's timeline in the excerpt's window. */
  events: number;
  lines: TimelineLine[];
  /** Distinct lines of the window not shown. */
  omitted: number;
}

import type { SkewReport } from '../correlate/skew.js';

export interface CiReport {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  tool: { name: 'ktrail'; version: string };
  input: {
    /** The input's base name (never a temporary path). */
    name: string;
    type: 'directory' | 'file' | 'archive';
    sources: number;
    /** Archive entries refused (path escapes, links, bombs...), in archive order. */
    refused: { entry: string; reason: string }[];
    /** Why an archive was not read to its end, when it was not. */
    stopped: string | null;
  };
  range: { from: string; to: string } | null;
  failOn: FailOn;
  result: 'pass' | 'fail';
  exitCode: 0 | 1;
  totals: {
    events: number;
    incidents: number;
    failing: number;
    accepted: number;
    belowThreshold: number;
    requirementsMet: number;
    requirementsUnmet: number;
  };
  /** Incidents by severity (every severity listed, zeros included). */
  incidentsBySeverity: Record<Severity, number>;
  /** Most severe first, then by start time. */
  incidents: ReportIncident[];
  components: ComponentCounts[];
  /** Each host's clock against the reference's, from causal pairs (src/correlate/skew.ts). */
  clockSkew: SkewReport;
  expectations: ExpectationResults;
  timelines: TimelineExcerpt[];
}

/** What `--json` holds when ktrail ci stops with exit status 2 instead of judging (see docs/ci.md). */
export interface CiErrorReport {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  tool: { name: 'ktrail'; version: string };
  /** The input's base name, when one was given. */
  input: string | null;
  result: 'error';
  exitCode: 2;
  /** What failed, as printed on stderr. */
  error: string;
}
