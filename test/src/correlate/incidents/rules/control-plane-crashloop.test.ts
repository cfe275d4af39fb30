/**
 * control-plane-crashloop on the real MicroK8s node journal: kubelite (apiserver, controller-
 * manager, scheduler, kubelet and proxy in one process) fails four times after the reboot, with
 * the fatal line that says why before each exit. The planned stops (17:26, 17:40) are not failures.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ingestPaths } from '../../../../../src/correlate/eval.js';
import { detectIncidents } from '../../../../../src/correlate/incidents/index.js';
import { controlPlaneCrashloopRule } from '../../../../../src/correlate/incidents/rules/control-plane-crashloop.js';
import { linkObjects } from '../../../../../src/correlate/link.js';
import { openStore } from '../../../../../src/store/writer.js';
import { corpus, corpusSkip } from '../../../../helpers/paths.js';
import { evidence, incidents } from '../fixture.js';

test('kubelite exiting 255 four times under systemd is one incident on its node, the fatal lines its causes', { skip: corpusSkip() }, async () => {
  const store = openStore(':memory:');
  try {
    await ingestPaths(store, [corpus('microk8s-kubelite-journal')]);
    linkObjects(store.correlation);
    detectIncidents(store, { rules: [controlPlaneCrashloopRule] });
    const found = incidents(store.db);
    assert.equal(found.length, 1);
    const inc = found[0]!;
    assert.equal(inc.kind, 'control-plane-crashloop');
    assert.equal(inc.details.root.label, 'node/microk8s-vm');
    assert.equal(
      inc.summary,
      'snap.microk8s.daemon-kubelite.service on microk8s-vm exited 4 times with status 255/EXCEPTION in 9 s, systemd restart counter at 3; ' +
        'last fatal line: Proxy exited open /proc/sys/net/netfilter/nf_conntrack_max: no such file or directory',
    );
    const roles = [...evidence(store.db, inc.id).values()];
    // Four failed exits; one fatal line before each (PostStartHook timed out, then the proxy's
    // missing nf_conntrack_max three times); systemd's three restarts.
    assert.equal(roles.filter((r) => r === 'trigger').length, 4);
    assert.equal(roles.filter((r) => r === 'cause').length, 4);
    assert.equal(roles.filter((r) => r === 'evidence').length, 3);
  } finally {
    store.close();
  }
});
