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
};
