/**
 * The cluster an input is named after when --cluster does not say, on the real bundles: kind's
 * own name, a must-gather's infrastructure name (from inside the archive, as ktrail opens it), a
 * folder's base name; none for a file given by name.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clusterNameOf, kindLabel } from '../../../src/ingest/cluster-name.js';
import { discoverSources } from '../../../src/ingest/discover.js';
import { corpus, corpusSkip } from '../../helpers/paths.js';

const quiet = { warn: () => {} };

async function clustersOf(paths: string[]): Promise<Map<string, string | undefined>> {
  const files = await discoverSources(paths, quiet);
  return new Map(files.map((f) => [f.display, f.cluster]));
}

test('a kind bundle is named by its node\'s kind label; a plain folder by its name; a file by nothing', { skip: corpusSkip() }, async () => {
  const file = corpus('kind-1.32-bundle', 'kind-control-plane', 'kubelet.log');
  const found = await clustersOf([corpus('kind-1.32-bundle'), corpus('failure-cases'), file]);
  const byPrefix = (p: string) => new Set([...found].filter(([d]) => d.startsWith(p) && d !== file).map(([, c]) => c));
  assert.deepEqual(byPrefix(`${corpus('kind-1.32-bundle')}/`), new Set(['kind']));
  assert.deepEqual(byPrefix(`${corpus('failure-cases')}/`), new Set(['failure-cases']));
  assert.equal(found.get(file), undefined);
  // A node folder given by itself still knows its cluster (its inspect.json).
  assert.equal(await clusterNameOf({ given: 'kind-control-plane', root: corpus('kind-1.32-bundle', 'kind-control-plane') }), 'kind');
});

test('a must-gather archive is named by the infrastructure name it records', { skip: corpusSkip() }, async () => {
  const found = await clustersOf([corpus('openshift-must-gather-aws', 'must-gather-aws.tar.xz')]);
  assert.ok(found.size > 100);
  assert.deepEqual(new Set(found.values()), new Set(['ci-ln-5ylibmb-d5d6b-dfvr6']));
});

test('kind\'s folder names when no node says its label; odd name files fall through to the folder name', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-cluster-name-'));
  try {
    const bundle = join(dir, 'export-1');
    mkdirSync(join(bundle, 'dev-worker2'), { recursive: true });
    mkdirSync(join(bundle, 'dev-control-plane'), { recursive: true });
    writeFileSync(join(bundle, 'kind-version.txt'), 'kind v0.27.0');
    writeFileSync(join(bundle, 'dev-control-plane', 'inspect.json'), '{ not json');
    assert.equal(await clusterNameOf({ given: bundle, root: bundle }), 'dev');
    // Outside a bundle, a folder called like a node is only a folder.
    const lone = join(dir, 'x-worker');
    mkdirSync(lone);
    assert.equal(await clusterNameOf({ given: `${lone}/`, root: lone }), 'x-worker');
    // A must-gather whose infrastructure file is damaged: its cluster ID, else the folder name.
    const mg = join(dir, 'mg.tar.gz-extracted');
    const config = join(mg, 'image-1', 'cluster-scoped-resources', 'config.openshift.io');
    mkdirSync(join(config, 'infrastructures'), { recursive: true });
    mkdirSync(join(config, 'clusterversions'), { recursive: true });
    writeFileSync(join(config, 'infrastructures', 'cluster.yaml'), 'status: [unclosed');
    writeFileSync(join(config, 'clusterversions', 'version.yaml'), 'spec:\n  clusterID: 96eb6c40-16e8\n');
    assert.equal(await clusterNameOf({ given: 'must-gather.tar.gz', root: mg }), '96eb6c40-16e8');
    writeFileSync(join(config, 'clusterversions', 'version.yaml'), 'spec: 3\n');
    assert.equal(await clusterNameOf({ given: '/tmp/must-gather.tar.gz', root: mg }), 'must-gather');
    assert.equal(await clusterNameOf({ given: '-' }), '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the kind label is read from docker inspect output, and only a non-empty string counts', () => {
  assert.equal(kindLabel('[{"Config":{"Labels":{"io.x-k8s.kind.cluster":"prod"}}}]'), 'prod');
  assert.equal(kindLabel('[{"Config":{"Labels":{"io.x-k8s.kind.cluster":""}}}]'), undefined);
  assert.equal(kindLabel('[{"Config":{"Labels":{"io.x-k8s.kind.cluster":7}}}]'), undefined);
  assert.equal(kindLabel('[null, 3, {"Config":null}]'), undefined);
  assert.equal(kindLabel('nope'), undefined);
});
