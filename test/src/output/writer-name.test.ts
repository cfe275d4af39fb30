/**
 * Writers that are not cluster components keep their names: the real kind bundle's journal
 * (systemd, containerd under journald), its containerd.log and a CNI container show as
 * themselves, never as `other`, while the seven components stay what they are.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Chalk } from 'chalk';
import { openEventStream } from '../../../src/ingest/run.js';
import type { KEvent } from '../../../src/model/event.js';
import { formatEventLine } from '../../../src/output/text.js';
import { shownComponent } from '../../../src/output/writer-name.js';
import { corpus, corpusSkip } from '../../helpers/paths.js';

test('writer names: containerd, systemd and a CNI container are shown by name, not as other', { skip: corpusSkip() }, async () => {
  const stream = await openEventStream([corpus('kind-1.32-bundle')], undefined, { onError: () => {} });
  const shown = new Map<string, number>();
  let clusterAsWriter = 0;
  for await (const batch of stream.events) {
    for (const e of batch as KEvent[]) {
      const name = shownComponent(e);
      shown.set(name, (shown.get(name) ?? 0) + 1);
      if (e.component !== 'other' && name !== e.component) clusterAsWriter++;
    }
  }
  for (const writer of ['containerd', 'systemd', 'kindnet-cni']) assert.ok((shown.get(writer) ?? 0) > 0, `${writer}: ${JSON.stringify([...shown])}`);
  assert.equal(shown.get('other') ?? 0, 0, 'every other line names its writer');
  assert.equal(clusterAsWriter, 0, 'the cluster components are shown as themselves');
});

test('writer names: the text output shows the writer in the component column', () => {
  const e: KEvent = {
    seq: 1,
    time: Date.UTC(2025, 2, 21, 14, 51, 13) * 1000,
    component: 'other',
    host: 'kind-control-plane',
    severity: 'info',
    message: 'Started containerd.service',
    fields: { writer: 'systemd' },
    objects: [],
    source: { file: 'journal.log', line: 1, endLine: 1, format: 'journald-short/plain' },
    raw: '',
    format: 'plain',
  };
  const line = formatEventLine(e, new Chalk({ level: 0 }));
  assert.match(line, /^2025-03-21 14:51:13\.000 systemd {17}kind-control-plane I Started containerd\.service$/);
});
