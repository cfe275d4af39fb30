/**
 * node-going-down: a node's own lines say it is stopping: systemd stopping or losing the kubelet or
 * containerd (`Stopping kubelet.service`, `containerd.service: Main process exited`), the system
 * shutting down or powering off, the kernel's `Out of memory` and `Kernel panic`. The cause that
 * node-not-ready looks for just before a node went NotReady.
 */
import type { Facts, Signal } from './types.js';

const NODE_DOWN = /kubelet\.service|containerd\.service: (?:Deactivated|Failed|Main process exited)|Stopping kubelet|Stopped kubelet|Shutting down|[Pp]ower(?:ing)? off|Out of memory|Kernel panic/;

// systemd's and the kernel's journald lines are of no Kubernetes component ('other'); the kubelet
// says some of it too as it is stopped.
export const nodeGoingDown: Signal = {
  name: 'node-going-down',
  context: true,
  components: ['other', 'kubelet'],
  describe: 'a node stopping: systemd stopping the kubelet or containerd, shutdown, power off, out of memory, kernel panic',
  match: (e): Facts | undefined => (NODE_DOWN.test(e.message) ? {} : undefined),
};
