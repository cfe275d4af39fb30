/** The simulator's renderers: timestamps, Go quoting and durations, klog text/JSON/legacy lines. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { capnslogTime, epochMillis, goDuration, goTime, isoMicros, journalTime, klogTime, raftTime, rfc3339Nano, rfc3339Nano9, rotationStamp, traceStart } from '../../../src/sim/format/time.js';
import { goQuote, raw, ref, renderKlog, type KlogTemplate } from '../../../src/sim/format/klog.js';
import { Rng } from '../../../src/sim/rng.js';

const T = Date.UTC(2025, 2, 21, 14, 51, 23) * 1000 + 344_949; // 2025-03-21T14:51:23.344949Z

test('timestamps in every shape the components write', () => {
  const rows: [string, string][] = [
    [klogTime(T), '0321 14:51:23.344949'],
    [journalTime(T), 'Mar 21 14:51:23'],
    [isoMicros(T), '2025-03-21T14:51:23.344949Z'],
    [rfc3339Nano(T, 51), '2025-03-21T14:51:23.344949051Z'],
    [rfc3339Nano(T - 949 + 900, 0), '2025-03-21T14:51:23.3449Z'],
    [rfc3339Nano9(T, 7), '2025-03-21T14:51:23.344949007Z'],
    [capnslogTime(T), '2025-03-21 14:51:23.344949'],
    [raftTime(T), 'raft2025/03/21 14:51:23'],
    [epochMillis(T), '1742568683344.949'],
    [epochMillis(T - 949), '1742568683344'],
    [traceStart(T), '21-Mar-2025 14:51:23.344'],
    [rotationStamp(T), '20250321-145123'],
    [goTime(T, true), '2025-03-21 14:51:23.344949 +0000 UTC'],
    [goTime(T, false), '2025-03-21 14:51:23 +0000 UTC'],
  ];
  for (const [got, want] of rows) assert.equal(got, want);
});

test('Go durations and quoting', () => {
  assert.equal(goDuration(1_241_611), '1.241611s');
  assert.equal(goDuration(38_805), '38.805ms');
  assert.equal(goDuration(51), '51µs');
  assert.equal(goDuration(100_067_341), '1m40.067341s');
  assert.equal(goDuration(2_000_000), '2s');
  assert.equal(goQuote('plain'), '"plain"');
  assert.equal(goQuote('say "hi"\n\tand \\ go'), '"say \\"hi\\"\\n\\tand \\\\ go"');
  assert.equal(goQuote('µs stay'), '"µs stay"');
});

const TPL: KlogTemplate = {
  id: 't.add',
  sev: 'I',
  v: 2,
  caller: 'kubelet/kubelet.go:2421',
  msg: 'SyncLoop ADD',
  keys: ['source', 'pods', 'pod', 'event'],
  legacy: 'SyncLoop (ADD, "{source}"): "{podsLegacy}"',
};

test('klog records: structured text, klog JSON, and the 1.20 printf form', () => {
  const vals = {
    source: 'api',
    pods: ['default/web-1'],
    pod: ref('default', 'web-1'),
    event: raw('{"ID":"u","Type":"ContainerStarted"}', { ID: 'u', Type: 'ContainerStarted' }),
    podsLegacy: 'web-1_default(u)',
  };
  assert.equal(
    renderKlog(TPL, vals, T, { json: false, legacy: false, pid: 287 }),
    'I0321 14:51:23.344949     287 kubelet.go:2421] "SyncLoop ADD" source="api" pods=["default/web-1"] pod="default/web-1" event={"ID":"u","Type":"ContainerStarted"}',
  );
  assert.equal(
    renderKlog(TPL, vals, T, { json: true, legacy: false, pid: 287 }),
    '{"ts":1742568683344.949,"caller":"kubelet/kubelet.go:2421","msg":"SyncLoop ADD","v":2,"source":"api","pods":["default/web-1"],"pod":{"name":"web-1","namespace":"default"},"event":{"ID":"u","Type":"ContainerStarted"}}',
  );
  assert.equal(renderKlog(TPL, vals, T, { json: false, legacy: true, pid: 1 }), 'I0321 14:51:23.344949       1 kubelet.go:2421] SyncLoop (ADD, "api"): "web-1_default(u)"');
  const err: KlogTemplate = { id: 't.err', sev: 'E', v: 0, caller: 'kubelet/pod_workers.go:1301', msg: 'Error syncing pod, skipping', keys: ['err', 'pod'] };
  assert.equal(
    renderKlog(err, { err: 'failed "x"', pod: ref('ns', 'p') }, T, { json: true, legacy: false, pid: 1 }),
    '{"ts":1742568683344.949,"caller":"kubelet/pod_workers.go:1301","msg":"Error syncing pod, skipping","err":"failed \\"x\\"","pod":{"name":"p","namespace":"ns"}}',
  );
});

test('the PRNG is deterministic and gives Kubernetes-shaped identifiers', () => {
  const a = new Rng(5);
  const b = new Rng(5);
  const seqA = [a.u32(), a.u32(), a.uuid(), a.hex(64), a.nameSuffix(), a.templateHash()];
  const seqB = [b.u32(), b.u32(), b.uuid(), b.hex(64), b.nameSuffix(), b.templateHash()];
  assert.deepEqual(seqA, seqB);
  assert.notDeepEqual(seqA, [new Rng(6).u32(), ...seqA.slice(1)]);
  assert.match(String(seqA[2]), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.match(String(seqA[3]), /^[0-9a-f]{64}$/);
  assert.match(String(seqA[4]), /^[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  assert.match(String(seqA[5]), /^[bcdfghjklmnpqrstvwxz2456789]{9,10}$/);
  const r = new Rng(1);
  for (let i = 0; i < 1000; i++) {
    const x = r.next();
    assert.ok(x >= 0 && x < 1);
  }
});
