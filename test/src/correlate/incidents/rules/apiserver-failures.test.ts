import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectIncidents } from '../../../../../src/correlate/incidents/index.js';
import { apiserver5xxRule } from '../../../../../src/correlate/incidents/rules/apiserver-5xx.js';
import { apiserverTimeoutRule } from '../../../../../src/correlate/incidents/rules/apiserver-timeout.js';
import { at, Fixture, incidents, type Obj } from '../fixture.js';

function http(f: Fixture, t: number, pod: Obj, resp: number, id: string): number {
  return f.ev({ t, component: 'kube-apiserver', host: 'cp1', message: 'HTTP', fields: { verb: 'GET', URI: '/api/v1/pods', resp, 'audit-ID': id }, writer: pod });
}

test('five failed requests on one apiserver within a minute: timeouts and 5xx apart, a request counted once', () => {
  const f = new Fixture();
  const pod = f.pod('kube-system', 'kube-apiserver-cp1');
  for (let i = 0; i < 5; i++) {
    http(f, i * 10, pod, 504, `t${i}`);
    f.ev({ t: i * 10, component: 'audit', host: 'cp1', severity: 'error', message: 'get pods 504', fields: { auditID: `t${i}`, code: 504 } });
  }
  for (let i = 0; i < 5; i++) http(f, 100 + i, pod, 500, `e${i}`);
  f.ev({ t: 106, component: 'kube-apiserver', host: 'cp1', severity: 'error', message: 'Unhandled Error', fields: { err: 'etcdserver: request timed out' }, writer: pod });
  f.done();
  detectIncidents(f.store, { rules: [apiserverTimeoutRule, apiserver5xxRule] });
  assert.deepEqual(incidents(f.db).map((i) => [i.kind, i.rootName, i.start, i.end, i.details.counts['requests'], i.details.components]), [
    ['apiserver-timeout', 'kube-apiserver-cp1', at(0), at(40), 5, ['audit', 'kube-apiserver']],
    ['apiserver-5xx', 'kube-apiserver-cp1', at(100), at(104), 5, ['kube-apiserver']],
  ]);
});

test('four failures, or failures more than a minute apart, are noise', () => {
  const f = new Fixture();
  const pod = f.pod('kube-system', 'kube-apiserver-cp1');
  for (let i = 0; i < 4; i++) http(f, i, pod, 503, `a${i}`);
  for (let i = 0; i < 6; i++) http(f, 300 + i * 70, pod, 500, `b${i}`);
  f.done();
  assert.deepEqual(detectIncidents(f.store, { rules: [apiserverTimeoutRule, apiserver5xxRule] }).byKind, {});
});
