/**
 * Rendered events packed into columns for postMessage come back equal, through a real structured
 * clone with the typed arrays' buffers moved, whatever their shape (text lines, JSON lines in two
 * parts, with and without a cluster, non-ASCII text, an empty batch).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { packLines, unpackLines } from '../../../../src/ingest/workers/packed.js';
import type { RenderedEvent } from '../../../../src/output/render.js';

const batch: RenderedEvent[] = [
  { seq: 4294967297, time: 1742568683344123, component: 'kubelet', severity: 'info', head: '2025-03-21 14:51:23.344 kubelet node1 I "SyncLoop ADD" é😀\n' },
  { seq: 4294967298, time: 1742568683344124, component: 'etcd', severity: 'warn', head: '{"level":40,"time":1742568683344,"timeUs":1742568683344124,"seq":', tail: ',"msg":"slow"}\n', cluster: 'kind' },
  { seq: 4294967299, time: 0, component: 'other', severity: 'error', head: '', tail: '', cluster: '' },
  { seq: 4294967300, time: 1742568683344125, component: 'kubelet', severity: 'info', head: 'x\n', cluster: 'kind' },
];

test('packed rendered events come back equal after a structured clone that moves the buffers', () => {
  const { packed, transfer } = packLines(batch);
  assert.equal(transfer.length, 4);
  const moved = structuredClone(packed, { transfer });
  // Moved, not copied: the sender's arrays are empty now.
  assert.equal(packed.time.length, 0);
  assert.deepEqual(unpackLines(moved), batch);
  // Each distinct name travels once.
  assert.deepEqual(moved.names, ['kubelet', 'info', 'etcd', 'warn', 'kind', 'other', 'error', '']);
});

test('an empty batch packs and unpacks', () => {
  const { packed } = packLines([]);
  assert.deepEqual(unpackLines(structuredClone(packed)), []);
});
