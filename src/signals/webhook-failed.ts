/**
 * webhook-failed: the apiserver could not call an admission webhook. Upstream's dispatchers
 * (staging/src/k8s.io/apiserver/pkg/admission/plugin/webhook/{validating,mutating}/dispatcher.go)
 * say which policy applied: `Failed calling webhook, failing open rev.validation.istio.io: failed
 * calling webhook "rev.validation.istio.io": failed to call webhook: Post "https://istiod.istio-
 * system.svc:443/validate?timeout=10s": dial tcp 10.152.183.215:443: connect: connection refused`
 * (failurePolicy Ignore: the request goes on unchecked) or `... failing closed ...` (Fail: the
 * request is refused). The `failed calling webhook "x"` error line that follows a failing-open
 * one repeats it and is not this signal. Under MicroK8s' kubelite the apiserver's lines are
 * `other`. Facts: `webhook`, `policy` (open or closed), `url`, `err` as stated.
 */
import { patternSignal } from './pattern.js';

export const webhookFailed = patternSignal({
  name: 'webhook-failed',
  describe: 'the apiserver failed to call an admission webhook, failing open or closed',
  lines: [
    {
      components: ['kube-apiserver', 'other'],
      re: /^Failed calling webhook, failing (?<policy>open|closed) (?<webhook>[^\s:]{1,253}): (?:failed calling webhook "[^"]*": )?(?:failed to call webhook: )?(?<err>(?:\w+ "(?<url>[^"\s]{1,2048})": )?[^]*)$/,
      with: [],
    },
  ],
});
