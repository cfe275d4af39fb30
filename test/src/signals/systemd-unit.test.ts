/**
 * systemd's lines about the services it runs, and the fatal lines before a crash, on the real
 * MicroK8s node journal (../shared/corpus/microk8s-kubelite-journal): after a reboot at 17:40:59,
 * kubelite exits four times with status 255 (17:41:08, :11, :14, :17), systemd restarting it with
 * counters 1 to 3; k8s-dqlite's stop at 17:40:17 ends with systemd's SIGKILL (code=killed).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { corpus, corpusSkip } from '../../helpers/paths.js';
import { eventsOf, stating } from '../../helpers/signal-lines.js';

test('systemd: four failed exits of kubelite with the status as stated, restarts with their counter; a stop\'s SIGKILL is no failure', { skip: corpusSkip() }, async () => {
  const events = await eventsOf([corpus('microk8s-kubelite-journal')]);
  const failed = stating(events, 'systemd-unit-failed');
  assert.deepEqual(
    failed.map((s) => [s.event.raw.slice(7, 15), s.facts]),
    ['17:41:08', '17:41:11', '17:41:14', '17:41:17'].map((t) => [t, { unit: 'snap.microk8s.daemon-kubelite', code: 'exited', status: 255, statusName: 'EXCEPTION' }]),
  );
  // "snap.microk8s.daemon-k8s-dqlite.service: Main process exited, code=killed, status=9/KILL" at the reboot
  assert.ok(events.some((e) => e.message.includes('code=killed, status=9/KILL')));
  assert.deepEqual(stating(events, 'systemd-restart-scheduled').map((s) => s.facts['counter']), [1, 2, 3]);
  assert.deepEqual(stating(events, 'systemd-start-limit'), []);
});

test('fatal-exit: the klog F lines that say why kubelite died', { skip: corpusSkip() }, async () => {
  const fatal = stating(await eventsOf([corpus('microk8s-kubelite-journal')]), 'fatal-exit').map((s) => s.facts['text']);
  assert.ok(fatal.includes('Proxy exited open /proc/sys/net/netfilter/nf_conntrack_max: no such file or directory'), fatal.join('\n'));
  assert.ok(fatal.includes('PostStartHook "crd-informer-synced" failed: timed out waiting for the condition'));
});
