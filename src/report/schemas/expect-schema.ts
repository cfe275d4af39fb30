/**
 * JSON Schema of the `ktrail ci --expect FILE` file. The same object validates the file at run
 * time and is published as docs/schemas/expect.schema.json (a test keeps the two identical).
 */
import type { JsonSchema } from '../json-schema.js';

const objectPattern: JsonSchema = {
  type: 'string',
  minLength: 1,
  description:
    'Glob over the incident root object as ktrail names it (kind/namespace/name or kind/name, kind in lower case): ' +
    '* matches within one path segment, ** across segments, ? one character. Case-insensitive.',
  examples: ['pod/kube-system/*', 'node/kind-worker*', 'deployment/**'],
};

const kindPattern: JsonSchema = {
  type: 'string',
  minLength: 1,
  description: 'Incident kind (image-pull-backoff, crashloop, node-not-ready...), or a glob over kinds (dns-*, *).',
};

export const EXPECT_SCHEMA: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://ktrail.dev/schemas/expect.schema.json',
  title: 'ktrail ci expectations',
  description: 'What a CI run expects of the cluster logs: incidents to accept as known noise, and conditions that must occur.',
  type: 'object',
  additionalProperties: false,
  properties: {
    version: { const: 1, description: 'Format version; 1 when given.' },
    accept: {
      type: 'array',
      description: 'Incidents to accept: they are reported but do not fail the run.',
      items: { $ref: '#/$defs/accept' },
    },
    require: {
      type: 'array',
      description: 'Conditions that must occur; one that does not fails the run.',
      items: { $ref: '#/$defs/require' },
    },
  },
  $defs: {
    accept: {
      type: 'object',
      additionalProperties: false,
      required: ['kind'],
      properties: {
        kind: kindPattern,
        object: objectPattern,
        max: { type: 'integer', minimum: 0, description: 'Accept at most this many matching incidents; the ones past it fail as usual.' },
        reason: { type: 'string', description: 'Why this is accepted (shown in the reports).' },
      },
    },
    require: {
      type: 'object',
      additionalProperties: false,
      description: 'Either an incident kind (with an optional object pattern) or an event query, at least `min` times.',
      properties: {
        name: { type: 'string', minLength: 1, description: 'What the requirement means, for the reports.' },
        kind: kindPattern,
        object: objectPattern,
        query: {
          type: 'string',
          minLength: 1,
          description: 'An event query in ktrail\'s query language, e.g. {component="kube-scheduler"} |= "Successfully bound".',
        },
        min: { type: 'integer', minimum: 1, default: 1, description: 'Matching incidents (or events) needed; default 1.' },
      },
      oneOf: [{ required: ['kind'] }, { required: ['query'] }],
    },
  },
};
