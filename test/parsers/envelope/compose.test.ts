import { test } from 'node:test';
import assert from 'node:assert/strict';
import { composeEnvelope, readComposePrefix } from '../../../parsers/envelope/compose.js';
import { assertCounts, context, micros, readAll } from './helpers.js';
import { assertEachGives } from '../../helpers/table.js';

test('readComposePrefix: service, replica, padding, bar', () => {
  assertEachGives<string, ReturnType<typeof readComposePrefix>>(readComposePrefix, [
    ['kube-proxy-1  | E0822 16:18:54.061779       1 proxier.go:656] x', { name: 'kube-proxy-1', service: 'kube-proxy', replica: 1, end: 16 }],
    ['kube-controller-manager-1  | I0822 x', { name: 'kube-controller-manager-1', service: 'kube-controller-manager', replica: 1, end: 29 }],
    ['etcd_1 | {"level":"info"}', { name: 'etcd_1', service: 'etcd', replica: 1, end: 9 }], // Compose v1
    ['myetcd  | custom container_name', { name: 'myetcd', service: 'myetcd', end: 10 }],
    ['kube-apiserver-1  |', { name: 'kube-apiserver-1', service: 'kube-apiserver', replica: 1, end: 19 }],
    ['\u001b[36mkube-proxy-1  |\u001b[0m I0822 colored', { name: 'kube-proxy-1', service: 'kube-proxy', replica: 1, end: 25 }],
    ['time="2024-08-22T18:19:08+02:00" level=warning msg="x"', undefined],
    ['|---------|------|', undefined],
    ['| start   | --driver=docker |', undefined],
    ['kube-proxy-1 |x', undefined],
  ]);
});

test('compose: identifier = service, component from it; compose warnings are other', () => {
  const lines = [
    'time="2024-08-22T18:19:08+02:00" level=warning msg="/opt/stacks/docker-compose.yml: the attribute `version` is obsolete"',
    'kube-proxy-1  | I0822 16:18:54.061955       1 proxier.go:666] "Failed to load kernel module"',
    'kube-apiserver-1  | 2024/08/22 16:18:53 Running command:',
    'kube-apiserver-1  | Run from directory: ',
    'kube-scheduler-1  | 2024-08-22T16:18:54.878997123Z I0822 16:18:54.878991 1 x.go:1] with -t',
    'webapp-2  | listening',
  ];
  const place = { host: 'docker-host' };
  assert.deepEqual(readAll(composeEnvelope, lines, context(place)), [
    { kind: 'record', text: lines[0], hints: { host: 'docker-host', component: 'other' }, firstLine: 1, lastLine: 1, raw: lines[0] },
    {
      kind: 'record',
      text: 'I0822 16:18:54.061955       1 proxier.go:666] "Failed to load kernel module"',
      hints: { host: 'docker-host', identifier: 'kube-proxy', component: 'kube-proxy' },
      firstLine: 2,
      lastLine: 2,
      raw: lines[1],
    },
    {
      kind: 'record',
      text: '2024/08/22 16:18:53 Running command:',
      hints: { host: 'docker-host', identifier: 'kube-apiserver', component: 'kube-apiserver' },
      firstLine: 3,
      lastLine: 3,
      raw: lines[2],
    },
    {
      kind: 'record',
      text: 'Run from directory: ',
      hints: { host: 'docker-host', identifier: 'kube-apiserver', component: 'kube-apiserver' },
      firstLine: 4,
      lastLine: 4,
      raw: lines[3],
    },
    {
      kind: 'record',
      text: 'I0822 16:18:54.878991 1 x.go:1] with -t',
      time: micros('2024-08-22T16:18:54.878Z', 997),
      hints: { host: 'docker-host', identifier: 'kube-scheduler', component: 'kube-scheduler' },
      firstLine: 5,
      lastLine: 5,
      raw: lines[4],
    },
    { kind: 'record', text: 'listening', hints: { host: 'docker-host', identifier: 'webapp' }, firstLine: 6, lastLine: 6, raw: lines[5] },
  ]);
});

test('compose: score counts prefixes with a replica number', () => {
  assertCounts(composeEnvelope, ['kube-proxy-1  | x', 'etcd_2 | y'], ['Name   | value', 'time="x" level=warning msg="y"']);
});
