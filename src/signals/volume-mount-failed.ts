/**
 * volume-mount-failed: the kubelet cannot mount (or attach) a pod's volume. Its operation error
 * (`Operation for "{volumeName:kubernetes.io/secret/<uid>-serving-cert ...}" failed. No retries
 * permitted until ... Error: "MountVolume.SetUp failed for volume \"serving-cert\" (UniqueName:
 * ...) pod \"cluster-version-operator-849b4dcf9c-dl6zb\" (UID: \"f7c9...\") : secret
 * \"cluster-version-operator-serving-cert\" not found"`), its give-up after two minutes
 * (`"Unable to attach or mount volumes for pod; skipping pod" err="unmounted volumes=[data]...:
 * timed out waiting for the condition"`), and the Events (`FailedMount: MountVolume.SetUp failed
 * for volume "x" : ...`, `FailedAttachVolume: AttachVolume.Attach failed for volume "pvc-..." :
 * ...`). Facts: `volume`, `podName`, `podUid`, `err` as stated; `gaveUp` for the two-minute
 * timeout (the pod cannot start).
 */
import { patternSignal } from './pattern.js';

const OPERATION = /(?:MountVolume\.(?:SetUp|MountDevice|WaitForAttach)|AttachVolume\.Attach|MapVolume\.SetUpDevice) failed for volume \\*"(?<volume>[^"\\]{1,253})\\*"(?: \(UniqueName: \\*"[^"\\]*\\*"\))?(?: pod \\*"(?<podName>[^"\\]{1,253})\\*" \(UID: \\*"(?<podUid>[0-9a-f-]{32,36})\\*"\))? ?: (?<err>.*?)"?$/s;

export const volumeMountFailed = patternSignal({
  name: 'volume-mount-failed',
  describe: "a pod's volume could not be mounted or attached (kubelet operation errors, its 2-minute give-up, FailedMount/FailedAttachVolume Events)",
  lines: [
    { components: ['kubelet'], minSeverity: 3, re: OPERATION },
    {
      components: ['kubelet'],
      minSeverity: 3,
      re: /^Unable to attach or mount volumes for pod[^]*?unmounted volumes=\[(?<volume>[^\]]{1,500})\][^:]*: (?<err>.*)$/s,
      fixed: { gaveUp: true },
    },
  ],
  events: [
    { reason: /^FailedMount$/, text: /^Unable to attach or mount volumes: unmounted volumes=\[(?<volume>[^\]]{1,500})\][^:]*: (?<err>.*)$/s, fixed: { gaveUp: true } },
    { reason: /^(?:FailedMount|FailedAttachVolume|FailedMapVolume)$/, text: OPERATION },
  ],
});
