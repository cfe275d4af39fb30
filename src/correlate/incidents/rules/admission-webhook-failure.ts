/**
 * admission-webhook-failure: the apiserver cannot call an admission webhook. With failurePolicy
 * Fail ("failing closed") the request that needed it is refused: one is an incident. With Ignore
 * ("failing open") requests go on unchecked: an incident only when it lasts (10 minutes or more),
 * since a webhook whose service is not up yet (Istio being installed) fails open for a moment.
 * Root: the webhook, by the name the line gives.
 */
import { MINUTE } from '../group.js';
import { factValues, leanSignalRunRule, spanOf, spanText } from './signal-runs.js';

const OPEN_SPAN = 10 * MINUTE;

export const admissionWebhookFailureRule = leanSignalRunRule('admission-webhook-failure', 'error', 'an admission webhook the apiserver cannot call: once failing closed (requests refused), or failing open for 10 min or more', {
  signals: ['webhook-failed'],
  key: (e) => String(e.facts['webhook']),
  gap: 5 * MINUTE,
  qualifies: (run) => run.some((e) => e.facts['policy'] === 'closed') || spanOf(run) >= OPEN_SPAN,
  root: (run) => ({ kind: 'Webhook', name: String(run[0]!.facts['webhook']) }),
  finish: (c, run) => {
    const closed = run.filter((e) => e.facts['policy'] === 'closed').length;
    c.counts['calls'] = run.length;
    c.counts['refused'] = closed;
    if (!closed) c.severity = 'warn';
  },
  summarize: (run, c) => {
    const refused = c.counts['refused']!;
    const open = run.length - refused;
    const how = refused ? `${refused} failing closed (${refused > 1 ? 'those requests were' : 'that request was'} refused)${open ? `, ${open} failing open` : ''}` : 'all failing open (the requests went on unchecked)';
    return `admission webhook ${String(run[0]!.facts['webhook'])} could not be called ${run.length} times in ${spanText(spanOf(run))}, ${how}: ${factValues(run, 'err').join('; ')}`;
  },
});
