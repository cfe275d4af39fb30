import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileGlob, evaluateExpectations, ExpectationsError, parseExpectations } from '../../../src/report/expect.js';

const incidents = [
  { id: 1, kind: 'dns-nxdomain', rootLabel: 'pod/kube-system/coredns-a' },
  { id: 2, kind: 'dns-nxdomain', rootLabel: 'pod/kube-system/coredns-b' },
  { id: 3, kind: 'dns-nxdomain', rootLabel: 'pod/default/web-1' },
  { id: 4, kind: 'node-not-ready', rootLabel: 'node/kind-worker2' },
];

test('accept: first matching rule with room takes an incident; past max, the rest are not accepted', () => {
  const exp = parseExpectations(
    'accept:\n  - kind: dns-nxdomain\n    object: pod/kube-system/*\n    max: 1\n  - kind: "dns-*"\n    reason: noisy\n',
    'e.yaml',
  );
  const { results, acceptedBy } = evaluateExpectations(exp, incidents, () => 0);
  assert.deepEqual([...acceptedBy], [
    [1, 0],
    [2, 1],
    [3, 1],
  ]);
  assert.deepEqual(
    results.accept.map((a) => [a.matched, a.accepted, a.exceeded]),
    [
      [2, [1], true],
      [3, [2, 3], false],
    ],
  );
});

test('require: incidents by kind and object pattern, events by query count', () => {
  const exp = parseExpectations(
    JSON.stringify({ require: [{ kind: 'node-not-ready', object: 'node/kind-worker*' }, { kind: 'crashloop' }, { name: 'binds', query: '{component="kube-scheduler"}', min: 3 }] }),
    'e.json',
  );
  let compiled = '';
  const { results } = evaluateExpectations(exp, incidents, (f) => {
    compiled = f.where;
    return 2;
  });
  assert.deepEqual(
    results.require.map((r) => [r.description, r.found, r.met]),
    [
      ['node-not-ready incident on node/kind-worker*', 1, true],
      ['crashloop incident', 0, false],
      ['binds', 2, false],
    ],
  );
  assert.match(compiled, /events\.component/);
});

test('no expectations: nothing accepted, nothing required', () => {
  const { results, acceptedBy } = evaluateExpectations(undefined, incidents, () => 0);
  assert.deepEqual(results, { source: null, accept: [], require: [] });
  assert.equal(acceptedBy.size, 0);
  assert.deepEqual(parseExpectations('', 'empty.yaml'), { source: 'empty.yaml', accept: [], require: [] });
});

test('refused files name the offending path', () => {
  const table: [string, string][] = [
    ['require:\n  - kind: x\n    object: node/*\n    query: "{}"\n', 'e.yaml: require[0]: matches more than one of the allowed forms (they exclude each other)'],
    ['require:\n  - query: \'{component="kubelet"}\'\n    object: pod/*\n', 'e.yaml: require[0].object: an object pattern goes with "kind", not with "query" (filter objects inside the query)'],
    ['accept:\n  - kind: x\n    max: -1\n', 'e.yaml: accept[0].max: must be at least 0'],
    ['accept: 3\n', 'e.yaml: accept: must be array, not integer'],
    ['- a\n', 'e.yaml: (top level): must be object, not array'],
  ];
  for (const [text, want] of table) {
    assert.throws(() => parseExpectations(text, 'e.yaml'), (err: Error) => err instanceof ExpectationsError && err.message === want, text);
  }
});

test('globs: * within a segment, ** across, ? one character, case-insensitive', () => {
  const table: [string, string, boolean][] = [
    ['pod/kube-system/*', 'pod/kube-system/coredns-1', true],
    ['pod/kube-system/*', 'pod/default/web', false],
    ['pod/*', 'pod/kube-system/coredns-1', false],
    ['pod/**', 'pod/kube-system/coredns-1', true],
    ['node/kind-worker*', 'node/kind-worker2', true],
    ['node/kind-worker*', 'node/kind-control-plane', false],
    ['Node/Kind-Worker?', 'node/kind-worker3', true],
    ['dns-*', 'dns-nxdomain', true],
    ['*', 'crashloop', true],
    ['a.b', 'axb', false],
    ['(x)+', '(x)+', true],
    ['pod/{web,api}-*', 'pod/api-1', true],
    ['pod/.hidden*', 'pod/.hidden-1', true],
  ];
  for (const [pattern, name, want] of table) assert.equal(compileGlob(pattern)(name), want, `${pattern} ~ ${name}`);
});
