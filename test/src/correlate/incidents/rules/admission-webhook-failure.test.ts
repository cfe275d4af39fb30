/**
 * admission-webhook-failure on the real MicroK8s journal: Istio's validating webhook fails open
 * four times in a second while Istio is installed (no incident), then after the reboot fails
 * closed once, refusing a request, and open four more times (one incident).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { admissionWebhookFailureRule } from '../../../../../src/correlate/incidents/rules/admission-webhook-failure.js';
import { corpus, corpusSkip } from '../../../../helpers/paths.js';
import { assertSole, detectOnFiles } from '../fixture.js';

test('the refused request makes the incident; the install-time failing open does not', { skip: corpusSkip() }, async () => {
  const found = await detectOnFiles([corpus('microk8s-kubelite-journal')], admissionWebhookFailureRule);
  const inc = assertSole(found, 'webhook/rev.validation.istio.io');
  assert.equal(new Date(inc.start / 1000).toISOString().slice(11, 19), '17:41:43');
  assert.deepEqual([inc.details.counts['calls'], inc.details.counts['refused']], [5, 1]);
  assert.equal(
    inc.summary,
    'admission webhook rev.validation.istio.io could not be called 5 times in 40 s, 1 failing closed (that request was refused), 4 failing open: ' +
      'Post "https://istiod.istio-system.svc:443/validate?timeout=10s": context deadline exceeded',
  );
});
