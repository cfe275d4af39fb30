/**
 * Random queries from the grammar, over the values of the synthetic events (synthetic.ts): the
 * SQL-vs-predicate property (property.test.ts) and the SQLite-vs-ClickHouse property
 * (test/src/store/clickhouse/) draw from the same generator.
 */
import { COMPONENTS, SEVERITIES } from '../../../src/model/event.js';
import { formatMicros } from '../../../src/util/time.js';
import { DURATIONS, FIELD_NAMES, FILES, FORMATS, HOSTS, KINDS, NAMES, NAMESPACES, pick, REASONS, UIDS, WORDS } from '../store/synthetic.js';

type R = () => number;

/** A string literal: "..." with escapes, or `...` when that is possible. */
function str(r: R, s: string): string {
  return !s.includes('`') && r() < 0.3 ? `\`${s}\`` : JSON.stringify(s);
}

/** A bare word when the lexer reads it back as the same text, else a string literal. */
function word(r: R, s: string): string {
  return /^[A-Za-z_][\w.-]*$/.test(s) && !/^(and|or|not|since|until)$/i.test(s) && r() < 0.5 ? s : str(r, s);
}

const TEXT_OPS = ['=', '!=', '=~', '!~', '=='];
const ALL_OPS = [...TEXT_OPS, '>', '>=', '<', '<='];
const isRegex = (op: string) => op === '=~' || op === '!~';
const isOrder = (op: string) => op.startsWith('>') || op.startsWith('<');

const REGEXES: Record<string, string[]> = {
  component: ['kube-.*', 'etcd|coredns', '.*proxy', '(?i)KUBELET', 'k.*'],
  host: ['worker-.*', '.*-1', 'control.*', ''],
  severity: ['warn|error', 'e.*', '(?i)INFO', '.*a.*'],
  format: ['klog.*', 'etcd-.*', 'unknown'],
  file: ['.*\\.log', 'nodes/.*', 'a\\.log'],
  message: ['.*error.*', 'Error', '(?i).*TIMEOUT.*'],
  caller: ['kubelet\\.go:\\d+', '.*\\.go:.*'],
  pod: ['default/.*', 'web-.*', 'kube-system/web-\\d', '.*'],
  node: ['worker-.*', 'web-1'],
  uid: ['uid-[ab]', '.*'],
  field: ['Back.*', '\\d+', '.*ms', 'true', '.*s', '(?i)BACKOFF', '\\{.*\\}'],
  line: ['error', '(?i)ERROR', 'web-\\d', 'x=1', '^I0321', 'a"b', 'ü', 'started$'],
};

function selector(r: R): string {
  const n = Math.floor(r() * 3);
  const matchers: string[] = [];
  for (let i = 0; i < n; i++) {
    const label = pick(r, ['component', 'host', 'severity', 'level', 'format', 'file']);
    const op = pick(r, TEXT_OPS);
    const key = label === 'level' ? 'severity' : label;
    let value: string;
    if (isRegex(op)) value = pick(r, REGEXES[key]!);
    else
      value = pick(
        r,
        {
          component: COMPONENTS as readonly string[],
          host: HOSTS,
          severity: [...SEVERITIES, 'warning', 'ERROR'],
          format: FORMATS as readonly string[],
          file: FILES,
        }[key]!,
      );
    matchers.push(`${label}${op}${str(r, value)}`);
  }
  return `{${matchers.join(', ')}}`;
}

function lineFilter(r: R): string {
  const op = pick(r, ['|=', '!=', '|~', '!~']);
  return `${op} ${str(r, op.endsWith('~') ? pick(r, REGEXES.line!) : pick(r, WORDS))}`;
}

function timestamp(r: R, from: number, to: number): string {
  return formatMicros(from + Math.floor(r() * (to - from)));
}

function comparison(r: R, range: { from: number; to: number }): string {
  const name = pick(r, [
    'level',
    'severity',
    'component',
    'host',
    'format',
    'file',
    'message',
    'caller',
    'pod',
    'node',
    'uid',
    'object',
    'time',
    'verbosity',
    ...FIELD_NAMES,
    'missing',
  ]);
  switch (name) {
    case 'level':
    case 'severity': {
      const op = pick(r, ALL_OPS);
      return `${name} ${op} ${isRegex(op) ? str(r, pick(r, REGEXES.severity!)) : word(r, pick(r, [...SEVERITIES, 'warning', 'Err']))}`;
    }
    case 'component':
    case 'host':
    case 'format':
    case 'file':
    case 'message':
    case 'caller': {
      const op = pick(r, TEXT_OPS);
      const pool: Record<string, readonly string[]> = {
        component: COMPONENTS,
        host: HOSTS,
        format: FORMATS,
        file: FILES,
        message: WORDS,
        caller: ['kubelet.go:123', 'server.go:9'],
      };
      return `${name} ${op} ${isRegex(op) ? str(r, pick(r, REGEXES[name]!)) : word(r, pick(r, pool[name]!))}`;
    }
    case 'pod': {
      const op = pick(r, TEXT_OPS);
      const value = isRegex(op)
        ? pick(r, REGEXES.pod!)
        : r() < 0.6
          ? `${pick(r, NAMESPACES)}/${pick(r, NAMES)}`
          : pick(r, NAMES);
      return `pod ${op} ${str(r, value)}`;
    }
    case 'node':
    case 'uid': {
      const op = pick(r, TEXT_OPS);
      const value = isRegex(op) ? pick(r, REGEXES[name]!) : pick(r, name === 'node' ? NAMES : UIDS);
      return `${name} ${op} ${word(r, value)}`;
    }
    case 'object': {
      const kind = pick(r, [...KINDS, 'POD', 'node']);
      const path = r() < 0.5 ? `${kind}/${pick(r, NAMESPACES)}/${pick(r, NAMES)}` : `${kind}/${pick(r, NAMES)}`;
      return `object ${pick(r, ['=', '!='])} ${r() < 0.5 ? path : str(r, path)}`;
    }
    case 'time':
      return `time ${pick(r, ['=', '!=', '>', '>=', '<', '<='])} ${timestamp(r, range.from, range.to)}`;
    case 'verbosity':
      return `verbosity ${pick(r, ['=', '!=', '>', '>=', '<', '<='])} ${Math.floor(r() * 6)}`;
    default: {
      const op = pick(r, ALL_OPS);
      let value: string;
      if (isRegex(op)) value = str(r, pick(r, REGEXES.field!));
      else if (isOrder(op)) value = r() < 0.5 ? String(Math.floor(r() * 600) - 10) : pick(r, ['100ms', '1s', '1.5s', '2m', '90s', '1us']);
      else {
        value = pick(r, [
          () => String(pick(r, [200, 500, 503, 3, 0, 500.5, -2])),
          () => pick(r, ['469.7ms', '1.5s', '100ms', '0s']),
          () => word(r, pick(r, REASONS)),
          () => word(r, pick(r, DURATIONS)),
          () => word(r, pick(r, ['true', 'false', '{"a":1,"b":"x"}', '500'])),
        ])();
      }
      const fieldName = r() < 0.2 ? JSON.stringify(name) : name;
      return `${fieldName} ${op} ${value}`;
    }
  }
}

function expr(r: R, depth: number, range: { from: number; to: number }): string {
  const roll = r();
  if (depth < 3 && roll < 0.25) {
    const n = 2 + Math.floor(r() * 2);
    return Array.from({ length: n }, () => expr(r, depth + 1, range)).join(r() < 0.5 ? ' and ' : ' or ');
  }
  if (depth < 3 && roll < 0.35) return `not ${expr(r, depth + 1, range).includes(' ') ? `(${expr(r, depth + 1, range)})` : expr(r, depth + 1, range)}`;
  if (depth < 3 && roll < 0.45) return `(${expr(r, depth + 1, range)})`;
  if (roll < 0.55) return lineFilter(r);
  if (roll < 0.62) {
    const kw = pick(r, ['since', 'until']);
    return `${kw} ${r() < 0.5 ? pick(r, ['5m', '30m', '1h', '90m', '2h']) : timestamp(r, range.from, range.to)}`;
  }
  return comparison(r, range);
}

/** One random query whose times fall in `range`. */
export function query(r: R, range: { from: number; to: number }): string {
  const parts: string[] = [];
  if (r() < 0.4) parts.push(selector(r));
  const stages = Math.floor(r() * 3);
  for (let i = 0; i < stages; i++) parts.push(r() < 0.3 ? lineFilter(r) : `| ${expr(r, 0, range)}`);
  return parts.join(' ');
}
