/**
 * Amazon EKS control-plane logs as CloudWatch Logs hands them out:
 * - `aws logs filter-log-events --output json`: `{"events":[{"logStreamName":"kube-apiserver-<id>",
 *   "timestamp":1709287200123,"message":"I0301 ...","ingestionTime":...,"eventId":"..."}],
 *   "searchedLogStreams":[...],"nextToken":"..."}` (AWS CLI reference, logs filter-log-events);
 * - `aws logs get-log-events`: the same events without logStreamName, plus nextForwardToken and
 *   nextBackwardToken (the stream is the one asked for: the file name is used as the hint);
 * - a Logs Insights export (console "Export results > JSON"): an array of rows with `@timestamp`,
 *   `@message`, `@logStream`, `@log`; `aws logs get-query-results`: `{"results":[[{"field":"@message","value":"..."},...]]}`.
 *
 * EKS names its streams by component (Amazon EKS user guide, "Send control plane logs to
 * CloudWatch Logs"): kube-apiserver-*, kube-apiserver-audit-* (audit events as JSON),
 * authenticator-*, kube-controller-manager-*, kube-scheduler-*, cloud-controller-manager-*.
 */
import type { Component } from '../../src/model/event.js';
import type { SourceHints } from '../types.js';
import { readLeadingTimestamp } from './timestamp.js';
import { asObject, asString, jsonItemsEnvelope, opaqueRecord, withoutFinalNewline, type CloudRecord, type JsonItemsService } from './json-items.js';

// This envelope's name, added to EnvelopeName (parsers/types.ts, EnvelopeNames).
declare module '../types.js' {
  interface EnvelopeNames {
    cloudwatch: true;
  }
}

const STREAMS: readonly (readonly [RegExp, Component | undefined])[] = [
  [/^kube-apiserver-audit-/, undefined], // audit events: the audit parser names them
  [/^kube-apiserver-/, 'kube-apiserver'],
  [/^kube-controller-manager-/, 'kube-controller-manager'],
  [/^kube-scheduler-/, 'kube-scheduler'],
  [/^authenticator-/, 'other'], // aws-iam-authenticator
  [/^cloud-controller-manager-/, 'other'],
];

function streamHints(stream: string | undefined): SourceHints {
  if (!stream) return {};
  const hints: SourceHints = { identifier: stream };
  for (const [re, component] of STREAMS) {
    if (re.test(stream)) {
      if (component) hints.component = component;
      break;
    }
  }
  return hints;
}

/** Epoch milliseconds (filter/get-log-events) or `2024-03-01 10:00:00.123` (Insights, UTC). */
function timeOf(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return Math.round(v * 1000);
  const s = asString(v);
  if (!s) return undefined;
  return readLeadingTimestamp(s.replace(' ', 'T') + (/[zZ]|[+-]\d\d:?\d\d$/.test(s) ? '' : 'Z'))?.micros;
}

function eventRecord(v: unknown): CloudRecord | undefined {
  const e = asObject(v);
  if (!e) return undefined;
  const message = typeof e['message'] === 'string' ? e['message'] : typeof e['@message'] === 'string' ? e['@message'] : undefined;
  if (message === undefined) return undefined;
  const rec: CloudRecord = { text: withoutFinalNewline(message), hints: streamHints(asString(e['logStreamName']) ?? asString(e['@logStream'])), item: v };
  const t = timeOf(e['timestamp'] ?? e['@timestamp']);
  if (t !== undefined) rec.time = t;
  return rec;
}

/** A get-query-results row: `[{"field":"@message","value":"..."}, ...]` as an object. */
function fromFields(row: unknown): Record<string, unknown> | undefined {
  if (!Array.isArray(row)) return undefined;
  const o: Record<string, unknown> = {};
  for (const cell of row) {
    const c = asObject(cell);
    const field = asString(c?.['field']);
    if (field) o[field] = c!['value'];
  }
  return o;
}

function recordsOf(list: unknown[]): CloudRecord[] | undefined {
  const read = list.map((v) => eventRecord(fromFields(v) ?? v));
  if (!read.some((r) => r !== undefined)) return undefined;
  return read.map((r, i) => r ?? opaqueRecord(list[i]));
}

export const cloudWatch: JsonItemsService = {
  name: 'cloudwatch',
  samples: [
    '{',
    '    "events": [',
    '        {',
    '            "logStreamName": "kube-scheduler-a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4",',
    '            "timestamp": 1709287202500,',
    '            "message": "I0301 10:00:02.500000      10 schedule_one.go:286] \\"Successfully bound pod to node\\"",',
    '            "ingestionTime": 1709287203000,',
    '            "eventId": "38121234567890123456789012345678901234567890123456789014"',
    '        }',
    '    ],',
    '    "searchedLogStreams": []',
    '}',
  ],
  score: (sample) =>
    sample.filter(
      (l) =>
        /^\s*"(?:logStreamName|ingestionTime|eventId|nextForwardToken|searchedLogStreams|@logStream|@message)"\s*:/.test(l) ||
        /^\{"(?:events|results)":\[/.test(l) ||
        /"@message"\s*:.*"@timestamp"\s*:|"@timestamp"\s*:.*"@message"\s*:/.test(l),
    ).length,
  records(value) {
    if (Array.isArray(value)) return recordsOf([value]); // a get-query-results row inside a top-level array
    const o = asObject(value);
    if (!o) return undefined;
    if (Array.isArray(o['events'])) return recordsOf(o['events']);
    if (Array.isArray(o['results'])) return recordsOf(o['results']);
    return recordsOf([value]); // one Insights row of an exported array
  },
};

export const cloudWatchEnvelope = jsonItemsEnvelope(cloudWatch);
