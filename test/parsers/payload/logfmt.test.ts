import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { PayloadResult } from '../../../parsers/types.js';
import { logfmtParser, parseLogfmt } from '../../../parsers/payload/logfmt.js';
import { corpus, corpusSkip } from '../../helpers/paths.js';
import { tableTests, us } from './helpers.js';

const table: [string, PayloadResult][] = [
  [
    'time="2025-03-21T14:51:17.464266574Z" level=info msg="starting containerd" revision=c507a0257ea6462fbd6f5ba4f5c74facb04021f4 version=v2.0.2',
    {
      format: 'logfmt',
      time: us(2025, 3, 21, 14, 51, 17, 464266),
      hasZone: true,
      severity: 'info',
      message: 'starting containerd',
      fields: { revision: 'c507a0257ea6462fbd6f5ba4f5c74facb04021f4', version: 'v2.0.2' },
      objects: [],
    },
  ],
  [
    // Backquotes inside, a key named t (not the time), warning level.
    'time="2025-03-21T14:51:17.472119642Z" level=warning msg="Configuration migrated from version 2, use `containerd config migrate` to avoid migration" t="331.678µs"',
    {
      format: 'logfmt',
      time: us(2025, 3, 21, 14, 51, 17, 472119),
      hasZone: true,
      severity: 'warn',
      message: 'Configuration migrated from version 2, use `containerd config migrate` to avoid migration',
      fields: { t: '331.678µs' },
      objects: [],
    },
  ],
  [
    // Escaped quotes in the message; containerd names the pod it starts.
    'time="2025-03-21T14:51:21.073505688Z" level=info msg="RunPodSandbox for &PodSandboxMetadata{Name:kube-scheduler-kind-control-plane,Uid:e466f1f8e9429967fe50820f5857e823,Namespace:kube-system,Attempt:0,} returns sandbox id \\"3f1a\\""',
    {
      format: 'logfmt',
      time: us(2025, 3, 21, 14, 51, 21, 73505),
      hasZone: true,
      severity: 'info',
      message:
        'RunPodSandbox for &PodSandboxMetadata{Name:kube-scheduler-kind-control-plane,Uid:e466f1f8e9429967fe50820f5857e823,Namespace:kube-system,Attempt:0,} returns sandbox id "3f1a"',
      fields: {},
      objects: [
        {
          kind: 'Pod',
          namespace: 'kube-system',
          name: 'kube-scheduler-kind-control-plane',
          uid: 'e466f1f8e9429967fe50820f5857e823',
          via: 'message',
          key: 'PodSandboxMetadata',
        },
      ],
    },
  ],
  [
    // docker compose: an offset; error level; a bare key; a newline escape.
    'time="2024-08-22T18:19:08+02:00" level=error msg="line one\\nline two" error="exit status 1" dry-run',
    {
      format: 'logfmt',
      time: us(2024, 8, 22, 16, 19, 8),
      hasZone: true,
      severity: 'error',
      message: 'line one\nline two',
      fields: { error: 'exit status 1', 'dry-run': true },
      objects: [],
    },
  ],
  [
    // go-kit style: ts= and no msg; debug from trace; the last repeat of a key wins.
    'ts=2025-01-02T03:04:05Z level=trace caller=main.go:12 component=a component=b',
    {
      format: 'logfmt',
      time: us(2025, 1, 2, 3, 4, 5),
      hasZone: true,
      severity: 'debug',
      message: 'ts=2025-01-02T03:04:05Z level=trace caller=main.go:12 component=a component=b',
      fields: { caller: 'main.go:12', component: 'b' },
      objects: [],
    },
  ],
  [
    'level=fatal msg="cannot start" err="bind: address already in use"',
    { format: 'logfmt', severity: 'fatal', message: 'cannot start', fields: { err: 'bind: address already in use' }, objects: [] },
  ],
];

tableTests(
  logfmtParser,
  { name: 'logfmt lines give these exact results (no component: the envelope decides)', table },
  {
    name: 'not logfmt',
    lines: [
      'time is running out',
      'time="2025-03-21T14:51:17Z"', // a time and nothing else
      'level: info',
      '{"level":"info","ts":"x","msg":"y"}',
      'I0321 14:51:23.233242       1 server.go:1] level=info msg=x',
      '',
    ],
  },
);

test('the pair reader: quotes, escapes, cut lines, odd spacing', () => {
  assert.deepEqual(
    [...parseLogfmt('a=1  b="x y" c="q\\"uote\\\\" d= e="\\u00e9\\t" f')],
    [
      ['a', '1'],
      ['b', 'x y'],
      ['c', 'q"uote\\'],
      ['d', ''],
      ['e', 'é\t'],
      ['f', true],
    ],
  );
  assert.deepEqual([...parseLogfmt('msg="cut in the mid')], [['msg', 'cut in the mid']]);
  assert.deepEqual([...parseLogfmt('"stray" k=v')], [['stray', true], ['k', 'v']]);
  assert.deepEqual([...parseLogfmt('=v k=v2')], [['k', 'v2']]);
  const huge = parseLogfmt('msg="' + 'x'.repeat(200_000) + '" level=info');
  assert.equal(huge.get('level'), 'info');
});

test('containerd under journald and docker compose in the corpus: every logfmt payload parses', { skip: corpusSkip() }, () => {
  const payloads: string[] = [];
  for (const l of readFileSync(corpus('kind-1.32-bundle/kind-control-plane/containerd.log'), 'utf8').split('\n')) {
    const m = /^\w{3} +\d+ [\d:]{8} \S+ containerd\[\d+\]: (.*)$/.exec(l);
    if (m) payloads.push(m[1]!);
  }
  assert.equal(payloads.length, 225);
  for (const name of ['kube-apiserver.log', 'kube-controller-manager.log', 'kube-proxy.log', 'kube-scheduler.log']) {
    for (const l of readFileSync(corpus('compose-logs', name), 'utf8').split('\n')) if (l.startsWith('time=')) payloads.push(l);
  }
  assert.equal(payloads.length, 229);
  const unmatched = payloads.filter((p) => !logfmtParser.matches(p));
  assert.deepEqual(unmatched, []);
  const results = payloads.map((p) => logfmtParser.parse([p], {}));
  assert.ok(results.every((r) => r.time !== undefined && r.message !== '' && r.component === undefined));
  const pods = results.flatMap((r) => r.objects);
  assert.ok(pods.length >= 9, `pods named by containerd: ${pods.length}`);
  assert.ok(pods.every((p) => p.kind === 'Pod' && p.namespace !== undefined && p.uid !== undefined));
  const levels: Record<string, number> = {};
  for (const r of results) levels[r.severity] = (levels[r.severity] ?? 0) + 1;
  assert.equal(levels['warn'], results.filter((_, i) => / level=warning /.test(payloads[i]!)).length);
});
