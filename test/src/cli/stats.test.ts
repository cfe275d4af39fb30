/** `ktrail stats` reports each host's clock skew, in text and in --json, as users run it. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import type { StatsReport } from '../../../src/cli/stats.js';
import { corpus, corpusSkip, cliPath } from '../../helpers/paths.js';

const cli = cliPath();

test('stats on a scheduler log and a kubelet journal: the worker within 20 ms of the scheduler, from 11 pairs', { skip: corpusSkip() }, () => {
  const log = (name: string): string => corpus('failure-cases', 'C5', 'log', `2023-08-29T23:48:45-${name}.log.txt`);
  const files = [log('scheduler'), log('kubelet-kind-worker')];
  const json = spawnSync(process.execPath, [cli, 'stats', '--json', ...files], { encoding: 'utf8' });
  assert.equal(json.status, 0, json.stderr);
  const report = JSON.parse(json.stdout) as StatsReport;
  assert.equal(report.clockSkew.reference, 'kube-scheduler (no host)');
  const worker = report.clockSkew.hosts.find((h) => h.host === 'kind-worker')!;
  assert.equal(worker.upperPairs, 11);
  assert.ok(Math.abs(worker.offsetUs!) < 20_000, String(worker.offsetUs));
  const text = spawnSync(process.execPath, [cli, 'stats', ...files], { encoding: 'utf8' });
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /^clock skew \(reference kube-scheduler \(no host\); from 11 causal pairs/m);
  assert.match(text.stdout, /^ {2}kind-worker: [+-]?\d+ ms; bounds - \.\. [+-]?\d+ ms \(0 lower, 11 upper\)$/m);
});

test('stats of two clusters read together: per-cluster counts, and --cluster keeps one', { skip: corpusSkip() }, () => {
  const kind = corpus('kind-1.32-bundle');
  const minikube = corpus('minikube-logs');
  const run = (...args: string[]): StatsReport => {
    const r = spawnSync(process.execPath, [cli, 'stats', '--json', ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout) as StatsReport;
  };
  const both = run(kind, minikube);
  assert.deepEqual(both.clusters.map((c) => c.cluster), ['kind', 'minikube-logs']);
  for (const c of both.clusters) {
    const own = both.sources.filter((s) => s.cluster === c.cluster);
    assert.equal(c.sources, own.length);
    assert.equal(c.events, own.reduce((n, s) => n + s.events, 0));
    assert.ok(c.events > 0, c.cluster);
  }
  const one = run(kind, minikube, '--cluster', 'kind');
  assert.deepEqual(one.clusters, both.clusters.filter((c) => c.cluster === 'kind'));
  assert.ok(one.sources.every((s) => s.cluster === 'kind'));
  const text = spawnSync(process.execPath, [cli, 'stats', kind, minikube], { encoding: 'utf8', maxBuffer: 1 << 26 });
  assert.match(text.stdout, /^cluster kind: \d+ sources, \d+ events$/m);
});
