/**
 * node-registration-failed: the kubelet could not create its Node object: `"Unable to register
 * node with API server" err="..." node="kind-worker"`, or before 1.20 `Unable to register node
 * "localhost" with API server: nodes is forbidden: User "kubelet-client" cannot create ...`.
 * At start-up it fails until the apiserver serves; failing for minutes means it never will.
 * Facts: `node`, `err` as stated.
 */
import { str, type Facts, type Signal } from './types.js';

const LEGACY = /^Unable to register node "([^"]{1,253})" with API server: (.*)$/s;

export const nodeRegistrationFailed: Signal = {
  name: 'node-registration-failed',
  components: ['kubelet'],
  describe: 'the kubelet could not register its Node with the apiserver',
  match(e): Facts | undefined {
    if (e.component !== 'kubelet' || !e.message.startsWith('Unable to register node')) return undefined;
    const legacy = LEGACY.exec(e.message);
    if (legacy) return { node: legacy[1]!, err: legacy[2]! };
    const node = e.fields['node'];
    const name = typeof node === 'string' ? node : node && typeof node === 'object' ? str((node as Record<string, unknown>)['name']) : undefined;
    const out: Facts = { err: str(e.fields['err']) ?? '' };
    if (name) out['node'] = name;
    return out;
  },
};
