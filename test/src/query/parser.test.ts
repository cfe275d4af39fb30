import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Expr } from '../../../src/query/ast.js';
import { QueryError } from '../../../src/query/error.js';
import { expectedAfter, parseQuery } from '../../../src/query/parser.js';

const T = Date.UTC(2025, 2, 21, 14, 51, 0) * 1000;
const and = (...items: Expr[]): Expr => ({ type: 'and', items });

const CASES: [string, Expr][] = [
  ['', and()],
  ['   {}  ', and()],
  [
    '{component="kubelet", host=~"worker-.*", severity!="info"}',
    and(
      { type: 'label', name: 'component', op: '=', value: 'kubelet' },
      { type: 'label', name: 'host', op: '=~', value: '^(?:worker-.*)$' },
      { type: 'severity', op: '!=', value: 'info' },
    ),
  ],
  ['{level=~`warn|error`}', and({ type: 'severity', op: '=~', pattern: '^(?:warn|error)$' })],
  ['{file!~"a.*", format=="klog"}', and(
    { type: 'label', name: 'file', op: '!~', value: '^(?:a.*)$' },
    { type: 'label', name: 'format', op: '=', value: 'klog' },
  )],
  [
    '|= "error" != "timeout" |~ "(?i)fail(ed)?" !~ `\\d+ms`',
    and(
      { type: 'line', op: '|=', value: 'error' },
      { type: 'line', op: '!=', value: 'timeout' },
      { type: 'line', op: '|~', value: '(?i)fail(ed)?' },
      { type: 'line', op: '!~', value: '\\d+ms' },
    ),
  ],
  ['|= "say \\"hi\\"\\n\\u00e9 \\d"', and({ type: 'line', op: '|=', value: 'say "hi"\n\u00e9 \\d' })],
  ['| level >= warn', and({ type: 'severity', op: '>=', value: 'warn' })],
  ['| severity = "WARNING"', and({ type: 'severity', op: '=', value: 'warn' })],
  ['| pod = "default/web-1"', and({ type: 'ref', ref: 'pod', op: '=', value: 'default/web-1' })],
  ['| pod =~ "default/web-.*"', and({ type: 'ref', ref: 'pod', op: '=~', value: '^(?:default/web-.*)$' })],
  ['| uid = "6f1c-22"', and({ type: 'ref', ref: 'uid', op: '=', value: '6f1c-22' })],
  ['| node != worker-1', and({ type: 'ref', ref: 'node', op: '!=', value: 'worker-1' })],
  ['| object = pod/default/web-1', and({ type: 'object', op: '=', kind: 'pod', namespace: 'default', name: 'web-1' })],
  ['| object = node/worker-1', and({ type: 'object', op: '=', kind: 'node', name: 'worker-1' })],
  [
    '| object != "ClusterRole/system:controller:x"',
    and({ type: 'object', op: '!=', kind: 'ClusterRole', name: 'system:controller:x' }),
  ],
  ['| took > 100ms', and({ type: 'field', name: 'took', op: '>', value: { type: 'duration', micros: 100_000 } })],
  ['| took <= 1.5s', and({ type: 'field', name: 'took', op: '<=', value: { type: 'duration', micros: 1_500_000 } })],
  ['| age < 1h30m', and({ type: 'field', name: 'age', op: '<', value: { type: 'duration', micros: 5_400_000_000 } })],
  ['| code >= 500', and({ type: 'field', name: 'code', op: '>=', value: { type: 'number', value: 500 } })],
  ['| delta > -2.5e3', and({ type: 'field', name: 'delta', op: '>', value: { type: 'number', value: -2500 } })],
  ['| reason = "BackOff"', and({ type: 'field', name: 'reason', op: '=', value: { type: 'string', value: 'BackOff' } })],
  ['| reason = BackOff', and({ type: 'field', name: 'reason', op: '=', value: { type: 'string', value: 'BackOff' } })],
  ['| code = 5xx', and({ type: 'field', name: 'code', op: '=', value: { type: 'string', value: '5xx' } })],
  ['| objectRef.name =~ "web.*"', and({ type: 'field', name: 'objectRef.name', op: '=~', value: { type: 'string', value: '^(?:web.*)$' } })],
  ['| "host" = "x"', and({ type: 'field', name: 'host', op: '=', value: { type: 'string', value: 'x' } })],
  ['| größe = Ünïcode', and({ type: 'field', name: 'größe', op: '=', value: { type: 'string', value: 'Ünïcode' } })],
  ['| android = 1', and({ type: 'field', name: 'android', op: '=', value: { type: 'number', value: 1 } })],
  ['| host = worker-1', and({ type: 'label', name: 'host', op: '=', value: 'worker-1' })],
  ['| caller =~ "kubelet.go:.*"', and({ type: 'label', name: 'caller', op: '=~', value: '^(?:kubelet.go:.*)$' })],
  ['{cluster="kind"}', and({ type: 'label', name: 'cluster', op: '=', value: 'kind' })],
  ['{cluster!="kind", component="etcd"}', and({ type: 'label', name: 'cluster', op: '!=', value: 'kind' }, { type: 'label', name: 'component', op: '=', value: 'etcd' })],
  ['{cluster=~"prod-.*"}', and({ type: 'label', name: 'cluster', op: '=~', value: '^(?:prod-.*)$' })],
  ['| cluster !~ "dev-.*"', and({ type: 'label', name: 'cluster', op: '!~', value: '^(?:dev-.*)$' })],
  ['| verbosity >= 4', and({ type: 'verbosity', op: '>=', value: 4 })],
  ['| time >= 2025-03-21T14:51:00Z', and({ type: 'time', op: '>=', value: { at: T } })],
  ['| time < 2025-03-21T15:51:00+01:00', and({ type: 'time', op: '<', value: { at: T } })],
  ['| time > "2025-03-21 14:51"', and({ type: 'time', op: '>', value: { at: T } })],
  ['| time >= 2025-03-21T14:51:00.25Z', and({ type: 'time', op: '>=', value: { at: T + 250_000 } })],
  ['| since 15m', and({ type: 'time', op: '>=', value: { ago: 900_000_000 } })],
  ['| until 2025-03-22', and({ type: 'time', op: '<=', value: { at: Date.UTC(2025, 2, 22) * 1000 } })],
  [
    '| level >= warn and pod = "default/web-1" or not code < 500',
    and({
      type: 'or',
      items: [
        {
          type: 'and',
          items: [
            { type: 'severity', op: '>=', value: 'warn' },
            { type: 'ref', ref: 'pod', op: '=', value: 'default/web-1' },
          ],
        },
        { type: 'not', expr: { type: 'field', name: 'code', op: '<', value: { type: 'number', value: 500 } } },
      ],
    }),
  ],
  [
    '| a = 1 and (b = 2 or c = 3) and d = 4',
    and(
      { type: 'field', name: 'a', op: '=', value: { type: 'number', value: 1 } },
      {
        type: 'or',
        items: [
          { type: 'field', name: 'b', op: '=', value: { type: 'number', value: 2 } },
          { type: 'field', name: 'c', op: '=', value: { type: 'number', value: 3 } },
        ],
      },
      { type: 'field', name: 'd', op: '=', value: { type: 'number', value: 4 } },
    ),
  ],
  [
    '| (|= "a" or |~ "b") AND NOT since 5m',
    and(
      { type: 'or', items: [{ type: 'line', op: '|=', value: 'a' }, { type: 'line', op: '|~', value: 'b' }] },
      { type: 'not', expr: { type: 'time', op: '>=', value: { ago: 300_000_000 } } },
    ),
  ],
];

test('queries parse to the exact AST', () => {
  for (const [query, ast] of CASES) {
    assert.deepEqual(parseQuery(query), ast, query);
  }
});

/** [query, column, message, expected] */
const ERRORS: [string, number, string, string[]][] = [
  [
    '| reason = ',
    12,
    'column 12: expected a value after "=" (a string, number, duration or severity)',
    ['a string', 'a number', 'a duration', 'a severity'],
  ],
  [
    '{host="a"} | level >= ',
    23,
    'column 23: expected a severity after ">=" (debug, info, warn, error or fatal)',
    ['debug', 'info', 'warn', 'error', 'fatal'],
  ],
  [
    '| level >= warnx',
    12,
    'column 12: expected a severity after ">=" (debug, info, warn, error or fatal)',
    ['debug', 'info', 'warn', 'error', 'fatal'],
  ],
  ['| time > ', 10, 'column 10: expected a timestamp after ">" (like 2025-03-21T14:51:00Z)', ['a timestamp']],
  ['| time > 2025-13-01', 10, 'column 10: expected a timestamp after ">" (like 2025-03-21T14:51:00Z)', ['a timestamp']],
  ['| time =~ "x"', 8, 'column 8: expected =, !=, >, >=, < or <= after "time"', ['=', '!=', '>', '>=', '<', '<=']],
  ['{component="kubelet" host="x"}', 22, 'column 22: expected "," or "}" after "kubelet"', [',', '}']],
  [
    '{pod="x"}',
    2,
    'column 2: expected a label (component, host, severity, format, file or cluster), not "pod"; other filters go after "|", as in {} | pod = "..."',
    ['component', 'host', 'severity', 'format', 'file', 'cluster'],
  ],
  ['{component>"x"}', 11, 'column 11: expected an operator after "component" (=, !=, =~ or !~)', ['=', '!=', '=~', '!~']],
  [
    '{',
    2,
    'column 2: expected a label (component, host, severity, format, file or cluster) or "}" after "{"',
    ['component', 'host', 'severity', 'format', 'file', 'cluster', '}'],
  ],
  [
    '{component="x",}',
    16,
    'column 16: expected a label (component, host, severity, format, file or cluster) after ","',
    ['component', 'host', 'severity', 'format', 'file', 'cluster'],
  ],
  ['{component=kubelet}', 12, 'column 12: expected a string after "="', ['a string']],
  ['| pod > "x"', 7, 'column 7: expected =, !=, =~ or !~ after "pod" (pod is not ordered)', ['=', '!=', '=~', '!~']],
  ['| object = pod', 12, 'column 12: expected an object after "=" (kind/namespace/name, or kind/name for cluster-scoped objects, like pod/default/web-1 or node/worker-1)', ['kind/namespace/name', 'kind/name']],
  ['| object >= pod/a', 10, 'column 10: expected = or != after "object"', ['=', '!=']],
  ['| took > "1s"', 10, 'column 10: expected a number or a duration after ">" (took > 100ms)', ['a number', 'a duration']],
  ['| verbosity > 1.5', 15, 'column 15: expected a whole number after ">" (verbosity >= 4)', ['a number']],
  [
    '| took 5',
    8,
    'column 8: expected an operator after "took" (=, !=, =~, !~, >, >=, < or <=)',
    ['=', '!=', '=~', '!~', '>', '>=', '<', '<='],
  ],
  [
    '| a = 1 b = 2',
    9,
    'column 9: expected "and", "or", "|=", "!=", "|~", "!~", "|" or the end of the query after "1"',
    ['and', 'or', '|=', '!=', '|~', '!~', '|', 'the end of the query'],
  ],
  ['| (a = 1', 9, 'column 9: expected "and", "or" or ")" after "1"', ['and', 'or', ')']],
  [
    '| ',
    3,
    'column 3: expected a filter after "|" (a name such as level, pod or a field, "not", "(", a line filter, since or until)',
    ['a name', 'not', '(', '|=', '!=', '|~', '!~', 'since', 'until'],
  ],
  [
    'kubelet',
    1,
    'column 1: expected "{", "|=", "!=", "|~", "!~", "|" or the end of the query',
    ['{', '|=', '!=', '|~', '!~', '|', 'the end of the query'],
  ],
  ['|= error', 4, 'column 4: expected a string after "|="', ['a string']],
  ['| since yesterday', 9, 'column 9: expected a duration or a timestamp after "since"', ['a duration', 'a timestamp']],
  ['|= "abc', 4, 'column 4: unterminated string: expected a closing "', ['"']],
  [
    '| x = 1 # comment',
    9,
    'column 9: unexpected character "#": expected "and", "or", "|=", "!=", "|~", "!~" or "|" after "1"',
    ['and', 'or', '|=', '!=', '|~', '!~', '|'],
  ],
  ['|~ "a(("', 4, 'column 4: invalid regular expression: /a((/: missing closing ): `a((`', ['a regular expression']],
  [
    '| pod =~ "web(?!-canary)"',
    10,
    'column 10: invalid regular expression: lookaround ((?=...), (?!...), (?<=...), (?<!...)) is not supported: ktrail runs regular expressions on RE2, which matches in linear time',
    ['a regular expression'],
  ],
  ['| "a\\"b" = 1', 3, 'column 3: expected a field name without quotes or backslashes inside', ['a field name']],
];

test('errors name the column and what was expected there', () => {
  for (const [query, col, message, expected] of ERRORS) {
    try {
      parseQuery(query);
      assert.fail(`no error for ${query}`);
    } catch (err) {
      assert.ok(err instanceof QueryError, `${query}: ${String(err)}`);
      assert.deepEqual({ message: err.message, column: err.column, expected: err.expected }, { message, column: col, expected }, query);
    }
  }
});

test('expectedAfter lists what may follow a prefix (for completion)', () => {
  assert.deepEqual(expectedAfter('{component="kubelet"} | level'), ['=', '!=', '=~', '!~', '>', '>=', '<', '<=']);
  assert.deepEqual(expectedAfter('| object ='), ['kind/namespace/name', 'kind/name']);
});
