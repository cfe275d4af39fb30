/**
 * node-registration-failed: the kubelet could not create its Node object: `"Unable to register
 * node with API server" err="..." node="kind-worker"`, or before 1.20 `Unable to register node
 * "localhost" with API server: nodes is forbidden: User "kubelet-client" cannot create ...`.
 * At start-up it fails until the apiserver serves; failing for minutes means it never will.
 * Facts: `node`, `err` as stated.
 */
import { componentSignal, presentFacts, str } from './types.js';

const LEGACY = /^Unable to register node "([^"]{1,253})" with API server: (.*)$/s;

export const nodeRegistrationFailed = componentSignal('node-registration-failed', 'kubelet', 'the kubelet could not register its Node with the apiserver', (e) => {
  if (!e.message.startsWith('Unable to register node')) return undefined;
  const legacy = LEGACY.exec(e.message);
  if (legacy) return { node: legacy[1]!, err: legacy[2]! };
  const node = e.fields['node'];
  const name = typeof node === 'string' ? node : node && typeof node === 'object' ? str((node as Record<string, unknown>)['name']) : undefined;
  return presentFacts({ err: str(e.fields['err']) ?? '', node: str(name) });
});
