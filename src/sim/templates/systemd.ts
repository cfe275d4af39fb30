/** systemd lines under journald (kind node image), from the kind bundle's journal.log. */
import { text } from './define.js';

export const SYSTEMD = {
  journalStarted: text('systemd.journalStarted', 'systemd', 'Journal started'),
  startingContainerd: text('systemd.startingContainerd', 'systemd', 'Starting containerd.service - containerd container runtime...'),
  startedContainerd: text('systemd.startedContainerd', 'systemd', 'Started containerd.service - containerd container runtime.'),
  startingKubelet: text('systemd.startingKubelet', 'systemd', 'Starting kubelet.service - kubelet: The Kubernetes Node Agent...'),
  startedKubelet: text('systemd.startedKubelet', 'systemd', 'Started kubelet.service - kubelet: The Kubernetes Node Agent.'),
  stoppingKubelet: text('systemd.stoppingKubelet', 'systemd', 'Stopping kubelet.service - kubelet: The Kubernetes Node Agent...'),
  kubeletDeactivated: text('systemd.kubeletDeactivated', 'systemd', 'kubelet.service: Deactivated successfully.'),
  stoppedKubelet: text('systemd.stoppedKubelet', 'systemd', 'Stopped kubelet.service - kubelet: The Kubernetes Node Agent.'),
  startedScope: text('systemd.startedScope', 'systemd', 'Started cri-containerd-{id}.scope - libcontainer container {id}.'),
  // A service that keeps failing (the MicroK8s journal's kubelite; systemd's own wording).
  startingUnit: text('systemd.startingUnit', 'systemd', 'Starting {unit}.service - {description}...'),
  startedUnit: text('systemd.startedUnit', 'systemd', 'Started {unit}.service - {description}.'),
  mainExited: text('systemd.mainExited', 'systemd', '{unit}.service: Main process exited, code=exited, status={status}/{statusName}'),
  failedResult: text('systemd.failedResult', 'systemd', "{unit}.service: Failed with result 'exit-code'."),
  restartScheduled: text('systemd.restartScheduled', 'systemd', '{unit}.service: Scheduled restart job, restart counter is at {counter}.'),
  stoppedUnit: text('systemd.stoppedUnit', 'systemd', 'Stopped {unit}.service - {description}.'),
  startLimit: text('systemd.startLimit', 'systemd', '{unit}.service: Start request repeated too quickly.'),
  failedToStart: text('systemd.failedToStart', 'systemd', 'Failed to start {unit}.service - {description}.'),
};
