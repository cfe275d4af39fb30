/**
 * container-died: a container exited with a non-zero code, as the kubelet's PLEG saw it:
 * `"Generic (PLEG): container finished" podID=... containerID=... exitCode=1`.
 * Facts: `exitCode` (137 is a SIGKILL: the OOM killer, or the kubelet's own kill).
 */
import { componentSignal, num } from './types.js';

export const containerDied = componentSignal('container-died', 'kubelet', 'a container finished with a non-zero exit code (kubelet PLEG)', (e) => {
  if (e.message !== 'Generic (PLEG): container finished') return undefined;
  const code = num(e.fields['exitCode']);
  return code !== undefined && code !== 0 ? { exitCode: code } : undefined;
});
