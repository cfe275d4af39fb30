/**
 * Every etcd line of the real captures goes through the etcd parsers: the kind bundle's etcd 3.5
 * container log (CRI), minikube's etcd sections (3.5, bare) and OpenShift 4.8's must-gather etcd
 * log (3.4: a timestamp prefix, capnslog lines before zap is set up, and the pod's start-up shell
 * script around them).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { PayloadParser, PayloadResult } from '../../../parsers/types.js';
import { etcdCapnslogParser } from '../../../parsers/payload/etcd-capnslog.js';
import { etcdZapParser } from '../../../parsers/payload/etcd-zap.js';
import { corpus, corpusSkip } from '../../helpers/paths.js';

const PARSERS: PayloadParser[] = [etcdZapParser, etcdCapnslogParser];

interface Tally {
  results: PayloadResult[];
  unmatched: string[];
}

function tally(payloads: string[]): Tally {
  const t: Tally = { results: [], unmatched: [] };
  for (const text of payloads) {
    const parser = PARSERS.find((p) => p.matches(text));
    if (parser) t.results.push(parser.parse([text], {}));
    else t.unmatched.push(text);
  }
  return t;
}

function lines(path: string): string[] {
  return readFileSync(path, 'utf8').split('\n').filter((l) => l !== '');
}

/** A payload that is plainly an etcd log line by its first characters. */
function looksLikeEtcd(text: string): boolean {
  return text.startsWith('{"level":') || /^\d{4}-\d\d-\d\d \d\d:/.test(text) || /^raft\d{4}\//.test(text);
}

test('kind 1.32: every etcd container line is etcd-zap, the bootstrap election included', { skip: corpusSkip() }, () => {
  const file = corpus(
    'kind-1.32-bundle/kind-control-plane/containers/etcd-kind-control-plane_kube-system_etcd-472ee8d46558681bd8a13fa8f46551e7177080b3117c574ceecbd9c5a76649e9.log',
  );
  const payloads = lines(file).map((l) => l.replace(/^\S+ (?:stdout|stderr) [PF] /, ''));
  const t = tally(payloads);
  assert.deepEqual(t.unmatched, []);
  assert.equal(t.results.length, 50);
  assert.ok(t.results.every((r) => r.format === 'etcd-zap' && r.component === 'etcd' && r.time !== undefined));
  const raft = t.results.filter((r) => r.fields['raft'] !== undefined).map((r) => [r.fields['raft'], r.fields['term']]);
  assert.deepEqual(raft, [
    ['became-follower', 0],
    ['new-raft', 0],
    ['became-follower', 1],
    ['starting-election', 1],
    ['became-pre-candidate', 1],
    ['prevote-response', 1],
    ['became-candidate', 2],
    ['vote-response', 2],
    ['became-leader', 2],
    ['elected-leader', 2],
  ]);
  assert.equal(t.results.filter((r) => r.severity === 'warn').length, 3);
});

test('minikube: every line of the etcd sections is etcd-zap', { skip: corpusSkip() }, () => {
  let section = '';
  const payloads: string[] = [];
  for (const l of lines(corpus('minikube-logs/minikube_logs.txt'))) {
    if (l.startsWith('==> ')) section = l;
    else if (section.startsWith('==> etcd [')) payloads.push(l);
  }
  const t = tally(payloads);
  assert.equal(payloads.length, 113);
  assert.deepEqual(t.unmatched, []);
  const leaders = t.results.filter((r) => r.fields['raft'] === 'became-leader').map((r) => r.fields['term']);
  assert.deepEqual(leaders, [3, 4]);
});

test('must-gather (etcd 3.4): capnslog and zap lines parse; the start-up script is not etcd', { skip: corpusSkip() }, () => {
  const file = corpus(
    'must-gather-etcd-events/release-4.8/namespaces/openshift-etcd/pods/etcd-ip-10-0-187-218.ec2.internal/etcd/etcd/logs/current.log',
  );
  // The envelope: `kubectl logs --timestamps` put an RFC3339 time and a space before each line.
  const payloads = lines(file).map((l) => l.replace(/^\S+ /, ''));
  const t = tally(payloads);
  const etcdLines = payloads.filter(looksLikeEtcd);
  // Every etcd line is parsed (0 of 46 unmatched, well under 0.5%)...
  assert.equal(etcdLines.length, 46);
  assert.equal(t.results.length, 46);
  assert.deepEqual(t.unmatched.filter(looksLikeEtcd), []);
  const count = (format: string): number => t.results.filter((r) => r.format === format).length;
  const byFormat = { zap: count('etcd-zap'), capnslog: count('etcd-capnslog') };
  assert.deepEqual(byFormat, { zap: 19, capnslog: 27 });
  // ...and the other 46 are the pod's shell script: member lists, env, `+ exec`, `time` output.
  assert.equal(t.unmatched.length, 46);
  assert.ok(t.unmatched.some((l) => l.startsWith('+ exec ionice -c2 -n0 etcd --logger=zap')));
  assert.ok(t.unmatched.some((l) => l.startsWith('ETCD_INITIAL_CLUSTER_STATE=existing')));
  const capnslogWarnings = t.results.filter((r) => r.format === 'etcd-capnslog' && r.severity === 'warn');
  assert.equal(capnslogWarnings.length, 17);
  assert.ok(capnslogWarnings.every((r) => r.fields['package'] === 'pkg/flags' || r.fields['package'] === 'pkg/fileutil'));
  const follower = t.results.find((r) => r.fields['raft'] === 'became-follower');
  assert.deepEqual(follower?.fields, { raft: 'became-follower', member: '5a492cc498c39e02', term: 7 });
});
