/**
 * JSON Schema of `ktrail ci --json FILE` (version 1), published as
 * docs/schemas/ci-report.v1.schema.json (a test keeps the two identical, and validates real
 * reports against it). A change that removes or retypes a field needs schemaVersion 2.
 */
import type { JsonSchema } from '../json-schema.js';

const severity: JsonSchema = { enum: ['debug', 'info', 'warn', 'error', 'fatal'] };
const time: JsonSchema = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}Z$', description: 'RFC 3339, UTC, microseconds.' };
const count: JsonSchema = { type: 'integer', minimum: 0 };
const nullableString: JsonSchema = { type: ['string', 'null'] };

/**
 * An object with exactly these properties, every one required (a report always writes every field,
 * null when empty), and the optional ones a later release added (a report may lack them).
 */
function closed(properties: Record<string, JsonSchema>, optional: Record<string, JsonSchema> = {}): JsonSchema {
  return { type: 'object', additionalProperties: false, required: Object.keys(properties), properties: { ...properties, ...optional } };
}

const object: JsonSchema = closed({
  kind: { type: 'string' },
  namespace: nullableString,
  name: nullableString,
  uid: nullableString,
  label: { type: 'string', description: 'kind/namespace/name (kind in lower case), or kind/name for cluster-scoped objects.' },
});

const bySeverity: JsonSchema = closed({ debug: count, info: count, warn: count, error: count, fatal: count });

const tool: JsonSchema = closed({ name: { const: 'ktrail' }, version: { type: 'string' } });

/** The report of a run that got as far as judging the incidents (exit status 0 or 1). */
const report: JsonSchema = closed({
  schemaVersion: { const: 1 },
  tool,
  input: closed({
    name: { type: 'string', description: 'Base name of PATH.' },
    type: { enum: ['directory', 'file', 'archive'] },
    sources: count,
    refused: {
      type: 'array',
      description: 'Archive entries refused (unsafe path, link, over a limit, compression bomb).',
      items: closed({ entry: { type: 'string' }, reason: { type: 'string' } }),
    },
    stopped: { type: ['string', 'null'], description: 'Why an archive was not read to its end.' },
  }),
  range: {
    type: ['object', 'null'],
    additionalProperties: false,
    required: ['from', 'to'],
    properties: { from: time, to: time },
  },
  failOn: { enum: ['debug', 'info', 'warn', 'error', 'fatal', 'none'] },
  result: { enum: ['pass', 'fail'] },
  exitCode: { enum: [0, 1] },
  totals: closed({
    events: count,
    incidents: count,
    failing: count,
    accepted: count,
    belowThreshold: count,
    requirementsMet: count,
    requirementsUnmet: count,
  }),
  incidentsBySeverity: bySeverity,
  incidents: {
    type: 'array',
    description: 'Most severe first, then by start time.',
    items: closed({
      id: { type: 'integer', minimum: 1 },
      kind: { type: 'string', minLength: 1 },
      severity,
      start: time,
      end: time,
      startUs: { type: 'integer', description: 'Epoch microseconds.' },
      endUs: { type: 'integer' },
      root: object,
      summary: { type: 'string' },
      components: { type: 'array', items: { type: 'string' } },
      counts: { type: 'object', additionalProperties: { type: 'number' } },
      status: { enum: ['failing', 'accepted', 'below-threshold'] },
      acceptedBy: { type: ['integer', 'null'], minimum: 0, description: 'Index of the accept rule that took it.' },
      evidence: {
        type: 'array',
        description: 'The first evidence lines: what proves the incident first (trigger), then its causes, its effects, and context (evidence), each in time order.',
        items: closed(
          {
            eventId: { type: 'integer' },
            file: { type: 'string' },
            line: { type: 'integer', minimum: 1 },
            component: { type: 'string' },
            host: nullableString,
            role: { enum: ['trigger', 'cause', 'effect', 'evidence'] },
            severity,
            time,
            message: { type: 'string' },
          },
          { facts: { type: 'string', description: "What makes the line evidence: its signals' facts (exit code, image, reason...), else the fields that matter for its kind of line." } },
        ),
      },
      evidenceTotal: count,
      causeChain: {
        type: 'array',
        items: closed({
          kind: { type: 'string' },
          object: { type: 'string' },
          time,
          summary: { type: 'string' },
          incidentId: { type: ['integer', 'null'] },
        }),
      },
    }),
  },
  components: {
    type: 'array',
    items: closed({ component: { type: 'string' }, events: count, bySeverity, incidents: count }),
  },
  expectations: closed({
    source: { type: ['string', 'null'], description: 'The --expect file as given.' },
    accept: {
      type: 'array',
      items: closed({
        index: count,
        kind: { type: 'string' },
        object: nullableString,
        max: { type: ['integer', 'null'], minimum: 0 },
        reason: nullableString,
        matched: count,
        accepted: { type: 'array', items: { type: 'integer' } },
        exceeded: { type: 'boolean' },
      }),
    },
    require: {
      type: 'array',
      items: closed({
        index: count,
        description: { type: 'string' },
        kind: nullableString,
        object: nullableString,
        query: nullableString,
        min: { type: 'integer', minimum: 1 },
        found: count,
        met: { type: 'boolean' },
      }),
    },
  }),
  timelines: {
    type: 'array',
    description: "An excerpt of each incident root object's timeline.",
    items: closed({
      root: object,
      incidents: { type: 'array', items: { type: 'integer' } },
      events: count,
      lines: {
        type: 'array',
        items: closed({
          time,
          component: { type: 'string' },
          host: nullableString,
          severity,
          message: { type: 'string' },
          file: { type: 'string' },
          line: { type: 'integer', minimum: 1 },
          repeats: { type: 'integer', minimum: 1 },
        }),
      },
      omitted: count,
    }),
  },
}, {
  clockSkew: {
    ...closed({
      reference: nullableString,
      hosts: {
        type: 'array',
        items: closed({
          host: { type: 'string' },
          offsetUs: { type: ['integer', 'null'] },
          lowerUs: { type: ['integer', 'null'], description: 'Median of the lower bounds.' },
          upperUs: { type: ['integer', 'null'], description: 'Median of the upper bounds.' },
          lowerPairs: count,
          upperPairs: count,
          reference: { type: 'boolean' },
          consistent: { type: 'boolean' },
        }),
      },
      pairs: count,
    }),
    description: "Each host's clock against the reference's, from causal pairs (scheduler bind -> kubelet ADD; kubelet ADD -> its status PATCH). Microseconds, + = ahead.",
  },
});

/**
 * What a run that stopped with exit status 2 (bad usage, an unreadable input, an output that
 * cannot be written) writes, so a pipeline that reads the report learns why there is no verdict.
 */
const usageError: JsonSchema = closed({
  schemaVersion: { const: 1 },
  tool,
  input: { type: ['string', 'null'], description: 'Base name of PATH, when one was given.' },
  result: { const: 'error' },
  exitCode: { const: 2 },
  error: { type: 'string', minLength: 1, description: 'What failed, as printed on stderr.' },
});

export const CI_REPORT_SCHEMA: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://ktrail.dev/schemas/ci-report.v1.schema.json',
  title: 'ktrail ci report, version 1',
  description:
    'What `ktrail ci --json FILE` writes: a report (result pass or fail), or, when ktrail stops with exit status 2, what failed (result error). Deterministic: the same logs and flags give the same document.',
  oneOf: [{ $ref: '#/$defs/report' }, { $ref: '#/$defs/usageError' }],
  $defs: { report, usageError },
};
