/** `ktrail stats` reports each host's clock skew, in text and in --json, as users run it. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import type { StatsReport } from '../../../src/cli/stats.js';
import { corpus, corpusSkip, repoRoot } from '../../helpers/paths.js';

const cli = join(repoRoot, 'dist', 'src', 'cli', 'main.js');

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
