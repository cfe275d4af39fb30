/**
 * The cluster label of what follow mode writes: `--cluster` when given, else the name ingest
 * gives the same PATH (a kind bundle's own name, a folder's name, '' for a file by name); and the
 * TUI's follow feed writes it on the source rows it adds.
 */
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { followClusters } from '../../../src/ingest/follow-cluster.js';
import { openStore } from '../../../src/store/writer.js';
import { startFollowFeed } from '../../../src/tui/model/follow-feed.js';
import { corpus, corpusSkip } from '../../helpers/paths.js';

const klog = (sec: number, msg: string): string => `I0321 14:51:${String(sec).padStart(2, '0')}.000000    1234 kubelet.go:100] "${msg}"\n`;

test('a followed stream is labelled as ingest labels its PATH, or by --cluster', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-follow-cluster-'));
  try {
    const folder = join(dir, 'prod-east');
    mkdirSync(join(folder, 'node1'), { recursive: true });
    const lone = join(dir, 'lone.log');
    writeFileSync(lone, '');
    const of = await followClusters([folder, lone]);
    assert.equal(of({ path: join(folder, 'node1', 'kubelet.log') }), 'prod-east');
    assert.equal(of({ path: lone }), '', 'a file given by name has no cluster name');
    assert.equal(of({ path: join(dir, 'prod-east-2', 'x.log') }), '', 'a sibling folder with the same prefix is not inside');
    assert.equal((await followClusters([folder], 'fleet-7'))({ path: join(folder, 'a.log') }), 'fleet-7');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a kind bundle followed: its streams carry kind's own cluster name", { skip: corpusSkip() }, async () => {
  const bundle = corpus('kind-1.32-bundle');
  const of = await followClusters([bundle]);
  assert.equal(of({ path: join(bundle, 'kind-control-plane', 'kubelet.log') }), 'kind');
});

test('the follow feed writes new source rows, and so their events, under the cluster', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-follow-cluster-'));
  const folder = join(dir, 'staging');
  mkdirSync(folder);
  const store = openStore(join(dir, 'store.db'));
  const paths = [folder];
  const feed = startFollowFeed(store, paths, { onError: () => {}, clusterOf: await followClusters(paths) });
  try {
    await feed.ready;
    const file = join(folder, 'kubelet.log');
    writeFileSync(file, '');
    const deadline = Date.now() + 30_000;
    while (store.events.count() < 2) {
      appendFileSync(file, klog(1, 'first') + klog(2, 'second'));
      assert.ok(Date.now() < deadline, 'the followed lines never reached the store');
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.deepEqual(store.sources.clusters(), ['staging']);
    assert.deepEqual([...new Set(store.events.page({ limit: 10 }).map((e) => e.cluster))], ['staging']);
  } finally {
    await feed.stop();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
