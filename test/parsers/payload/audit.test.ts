import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { PayloadResult } from '../../../parsers/types.js';
import { auditParser } from '../../../parsers/payload/audit.js';
import { parseRfc3339 } from '../../../src/util/time.js';
import { corpus, corpusSkip } from '../../helpers/paths.js';
import { parseHostile, tableTests, us } from './helpers.js';

const table: [string, PayloadResult][] = [
  [
    // v1, a create by the ReplicaSet controller: name and uid only in the response, an owner.
    '{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"RequestResponse","auditID":"0f4b0c6e-1","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/default/pods","verb":"create","user":{"username":"system:serviceaccount:kube-system:replicaset-controller","groups":["system:serviceaccounts"]},"sourceIPs":["172.19.0.7"],"userAgent":"kube-controller-manager/v1.32.2","objectRef":{"resource":"pods","namespace":"default","apiVersion":"v1"},"responseStatus":{"metadata":{},"code":201},"responseObject":{"kind":"Pod","apiVersion":"v1","metadata":{"name":"web-7d4b9c-x2x9q","generateName":"web-7d4b9c-","namespace":"default","uid":"5e0c6c1a-aaaa-bbbb-cccc-000000000001","ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"web-7d4b9c","uid":"9f1d-rs","controller":true}]}},"requestReceivedTimestamp":"2025-03-21T14:52:00.100000Z","stageTimestamp":"2025-03-21T14:52:00.123456Z"}',
    {
      format: 'audit',
      time: us(2025, 3, 21, 14, 52, 0, 123456),
      hasZone: true,
      severity: 'info',
      message: 'create pods default/web-7d4b9c-x2x9q 201',
      fields: {
        auditID: '0f4b0c6e-1',
        stage: 'ResponseComplete',
        verb: 'create',
        user: 'system:serviceaccount:kube-system:replicaset-controller',
        userAgent: 'kube-controller-manager/v1.32.2',
        sourceIPs: ['172.19.0.7'],
        code: 201,
        requestURI: '/api/v1/namespaces/default/pods',
        level: 'RequestResponse',
        owners: [{ kind: 'ReplicaSet', name: 'web-7d4b9c', uid: '9f1d-rs' }],
      },
      objects: [
        { kind: 'Pod', namespace: 'default', name: 'web-7d4b9c-x2x9q', uid: '5e0c6c1a-aaaa-bbbb-cccc-000000000001', via: 'audit', key: 'objectRef' },
        { kind: 'ReplicaSet', namespace: 'default', name: 'web-7d4b9c', uid: '9f1d-rs', via: 'audit', key: 'ownerReferences' },
      ],
      component: 'audit',
    },
  ],
  [
    // v1beta1, sorted keys, only `timestamp`; a 403 is a warning; objectRef's own uid.
    '{"annotations":{"authorization.k8s.io/decision":"forbid"},"apiVersion":"audit.k8s.io/v1beta1","auditID":"aa-2","kind":"Event","level":"Metadata","objectRef":{"apiGroup":"apps","apiVersion":"v1","name":"web","namespace":"shop","resource":"deployments","uid":"d-uid"},"requestURI":"/apis/apps/v1/namespaces/shop/deployments/web","responseStatus":{"code":403,"metadata":{}},"sourceIPs":["10.0.0.9"],"stage":"ResponseComplete","timestamp":"2018-10-26T13:07:36Z","user":{"username":"bob"},"verb":"delete"}',
    {
      format: 'audit',
      time: us(2018, 10, 26, 13, 7, 36),
      hasZone: true,
      severity: 'warn',
      message: 'delete deployments shop/web 403',
      fields: {
        auditID: 'aa-2',
        stage: 'ResponseComplete',
        verb: 'delete',
        user: 'bob',
        sourceIPs: ['10.0.0.9'],
        code: 403,
        requestURI: '/apis/apps/v1/namespaces/shop/deployments/web',
        level: 'Metadata',
      },
      objects: [{ kind: 'Deployment', namespace: 'shop', name: 'web', uid: 'd-uid', via: 'audit', key: 'objectRef' }],
      component: 'audit',
    },
  ],
  [
    // A subresource: its response is not the object; a 5xx is an error; the apiserver wrote
    // objectRef.namespace for a Namespace (cluster-scoped): dropped.
    '{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Request","auditID":"cc-3","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/foo/finalize","verb":"update","user":{"username":"admin"},"objectRef":{"resource":"namespaces","namespace":"foo","name":"foo","apiVersion":"v1","subresource":"finalize"},"responseStatus":{"code":500},"responseObject":{"kind":"Status","metadata":{}},"requestReceivedTimestamp":"2025-01-02T03:04:05.000001Z"}',
    {
      format: 'audit',
      time: us(2025, 1, 2, 3, 4, 5, 1),
      hasZone: true,
      severity: 'error',
      message: 'update namespaces/finalize foo 500',
      fields: {
        auditID: 'cc-3',
        stage: 'ResponseComplete',
        verb: 'update',
        user: 'admin',
        code: 500,
        requestURI: '/api/v1/namespaces/foo/finalize',
        level: 'Request',
      },
      objects: [{ kind: 'Namespace', name: 'foo', via: 'audit', key: 'objectRef' }],
      component: 'audit',
    },
  ],
  [
    // No objectRef (a non-resource URL), RequestReceived stage: no code yet.
    '{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"dd-4","stage":"RequestReceived","requestURI":"/healthz","verb":"get","user":{"username":"system:anonymous"},"sourceIPs":["127.0.0.1"],"requestReceivedTimestamp":"2025-01-02T03:04:05Z","stageTimestamp":"2025-01-02T03:04:05Z"}',
    {
      format: 'audit',
      time: us(2025, 1, 2, 3, 4, 5),
      hasZone: true,
      severity: 'info',
      message: 'get /healthz',
      fields: {
        auditID: 'dd-4',
        stage: 'RequestReceived',
        verb: 'get',
        user: 'system:anonymous',
        sourceIPs: ['127.0.0.1'],
        requestURI: '/healthz',
        level: 'Metadata',
      },
      objects: [],
      component: 'audit',
    },
  ],
  [
    // Cut short: not JSON any more; the auditID still ties it to its other stages.
    '{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"RequestResponse","auditID":"ee-5","stage":"ResponseComplete","requestObject":{"kind":"Pod","spec":{"containers":[{"name":"a',
    {
      format: 'audit',
      severity: 'info',
      message: 'malformed audit event',
      fields: { auditID: 'ee-5', malformed: true },
      objects: [],
      component: 'audit',
    },
  ],
];

tableTests(
  auditParser,
  { name: 'audit events give these exact results', table, label: (line) => line.slice(0, 100) },
  {
    name: 'not audit: a core Event, etcd zap, klog JSON, garbage',
    lines: [
      '{"kind":"Event","apiVersion":"v1","involvedObject":{"kind":"Pod","name":"web"},"reason":"Pulled"}',
      '{"level":"info","ts":"2025-03-21T14:51:23Z","caller":"x","msg":"auditID"}',
      '{"ts":1622000000123.4,"caller":"a.go:1","msg":"x","v":0}',
      '{"kind": 0}',
      'auditID "kind":"Event"',
      '',
    ],
  },
);

test('hostile audit lines never throw', () => {
  const lines = [
    '{"kind":"Event","auditID":1,"objectRef":"x","user":[],"responseStatus":{"code":"500"},"stageTimestamp":42}',
    '{"kind":"Event","auditID":"x","objectRef":{"resource":"constructor","name":"__proto__"},"responseObject":{"metadata":{"ownerReferences":[null,1,{"kind":"A"}]}}}',
    '{"kind":"Event","auditID":"x"} trailing',
    '{"kind":"Event","auditID":"' + 'x'.repeat(100_000) + '"',
    '[{"kind":"Event","auditID":"x"}]',
  ];
  for (const r of parseHostile(auditParser, lines)) assert.equal(r.component, 'audit');
});

test('every audit event of the corpus parses; the garbage file matches nothing', { skip: corpusSkip() }, () => {
  const dir = corpus('audit-events');
  let events = 0;
  const versions = new Set<string>();
  const owners: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const text = readFileSync(join(dir, name), 'utf8');
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      if (name === 'fal_01_003.json') {
        // `{"kind": 0}`: tiny garbage.
        assert.equal(auditParser.matches(line), false, name);
        continue;
      }
      assert.equal(auditParser.matches(line), true, name);
      const r = auditParser.parse([line], {});
      events++;
      assert.equal(r.fields['malformed'], undefined, name);
      assert.ok(r.time !== undefined && r.time > Date.UTC(2018, 0, 1) * 1000, name);
      assert.match(r.message, /^(create|delete|get|patch|update) \S+ \S+ \d{3}$/, name);
      assert.ok(r.objects.length >= 1 && r.objects[0]!.key === 'objectRef', name);
      versions.add((JSON.parse(line) as { apiVersion?: string }).apiVersion ?? 'none');
      for (const o of (r.fields['owners'] as { kind: string }[] | undefined) ?? []) owners.push(`${name}:${o.kind}`);
    }
  }
  assert.equal(events, 51);
  // v1, v1beta1, and re-serialized files that lost their apiVersion.
  assert.deepEqual(versions, new Set(['audit.k8s.io/v1', 'audit.k8s.io/v1beta1', 'none']));
  assert.equal(owners.length, 11);
  assert.ok(owners.every((o) => o.endsWith(':ReplicaSet')));

  const privileged = readFileSync(join(dir, 'create_nginx_pod_privileged.json'), 'utf8').trim();
  const r = auditParser.parse([privileged], {});
  assert.equal(r.message, 'create pods default/nginx-deployment-5cdcc99dbf-rgw6z 201');
  assert.deepEqual(r.objects, [
    { kind: 'Pod', namespace: 'default', name: 'nginx-deployment-5cdcc99dbf-rgw6z', uid: '8c845395-d85f-11e8-88b6-080027728ac4', via: 'audit', key: 'objectRef' },
    { kind: 'ReplicaSet', namespace: 'default', name: 'nginx-deployment-5cdcc99dbf', uid: '8c800470-d85f-11e8-88b6-080027728ac4', via: 'audit', key: 'ownerReferences' },
  ]);
  assert.equal(r.time, us(2018, 10, 25, 14, 9, 12, 581541));
});

test('audit: a kubelet status patch gives the pod its uid and IPs', () => {
  const line = JSON.stringify({
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'RequestResponse',
    auditID: 'a1',
    stage: 'ResponseComplete',
    requestURI: '/api/v1/namespaces/default/pods/web-1/status',
    verb: 'patch',
    user: { username: 'system:node:kind-worker' },
    objectRef: { resource: 'pods', namespace: 'default', name: 'web-1', apiVersion: 'v1', subresource: 'status' },
    responseStatus: { metadata: {}, code: 200 },
    requestObject: { metadata: { uid: '0b3c9f7e-1111-4222-8333-944455556666' }, status: { podIP: '10.244.1.5', podIPs: [{ ip: '10.244.1.5' }, { ip: 'fd00::5' }] } },
    stageTimestamp: '2025-03-21T14:51:30.000000Z',
  });
  const r = auditParser.parse([line], {});
  assert.deepEqual(r.fields.podIPs, ['10.244.1.5', 'fd00::5']);
  assert.deepEqual(r.objects, [
    { kind: 'Pod', namespace: 'default', name: 'web-1', uid: '0b3c9f7e-1111-4222-8333-944455556666', via: 'audit', key: 'objectRef' },
  ]);
});

test('audit times read as RFC3339 text, in every form a stage timestamp takes', () => {
  const forms = [
    '2025-03-21T14:51:20.168918Z',
    '2025-03-21T14:51:20.168918123Z',
    '2025-03-21T14:51:20Z',
    '2025-03-21T14:51:20.1z',
    '2025-03-21T14:51:20.168918+02:00',
    '2025-03-21T14:51:20.168918-0130',
    '2025-03-21T14:51:20.168918',
    '2025-03-21 14:51:20.168918Z',
    '2025-03-21T14:51:20.168918Z ',
    '2025-13-21T14:51:20Z',
    '2025-03-21T14:51:20.Z',
  ];
  for (const ts of forms) {
    const line = JSON.stringify({ kind: 'Event', auditID: 'a', verb: 'get', stageTimestamp: ts });
    const r = auditParser.parse([line], {});
    const expected = parseRfc3339(ts);
    assert.equal(r.time, expected?.micros, ts);
    assert.equal(r.hasZone, expected?.hasZone, ts);
  }
});
