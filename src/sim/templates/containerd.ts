/**
 * containerd (v2.0) lines under journald, from the kind bundle's containerd.log and journal.log;
 * image pull and task exit texts from internal/cri/server/{image_pull.go,events.go} upstream.
 */
import { containerd } from './define.js';

export const CONTAINERD = {
  starting: containerd('containerd.starting', 'info', 'starting containerd', ['revision', 'version']),
  booted: containerd('containerd.booted', 'info', 'containerd successfully booted in {secs}s'),
  runSandbox: containerd('containerd.runSandbox', 'info', 'RunPodSandbox for &PodSandboxMetadata{Name:{pod},Uid:{uid},Namespace:{ns},Attempt:{attempt},}'),
  sandboxReturns: containerd(
    'containerd.sandboxReturns',
    'info',
    'RunPodSandbox for &PodSandboxMetadata{Name:{pod},Uid:{uid},Namespace:{ns},Attempt:{attempt},} returns sandbox id "{sandbox}"',
  ),
  shim: containerd('containerd.shim', 'info', 'connecting to shim {id}', ['address', 'namespace', 'protocol', 'version']),
  createContainer: containerd('containerd.createContainer', 'info', 'CreateContainer within sandbox "{sandbox}" for container &ContainerMetadata{Name:{name},Attempt:{attempt},}'),
  cdi: containerd('containerd.cdi', 'info', 'Container {id}: CDI devices from CRI Config.CDIDevices: []'),
  createReturns: containerd(
    'containerd.createReturns',
    'info',
    'CreateContainer within sandbox "{sandbox}" for &ContainerMetadata{Name:{name},Attempt:{attempt},} returns container id "{id}"',
  ),
  startContainer: containerd('containerd.startContainer', 'info', 'StartContainer for "{id}"'),
  startReturns: containerd('containerd.startReturns', 'info', 'StartContainer for "{id}" returns successfully'),
  pullImage: containerd('containerd.pullImage', 'info', 'PullImage "{image}"'),
  pulled: containerd('containerd.pulled', 'info', 'Pulled image "{image}" with image id "{imageId}", repo tag "{repoTag}", repo digest "{digest}", size "{size}" in {took}'),
  pullFailed: containerd('containerd.pullFailed', 'error', 'PullImage "{image}" failed', ['error']),
  taskOom: containerd('containerd.taskOom', 'info', 'TaskOOM event container_id:"{id}"'),
  exitEvent: containerd('containerd.exitEvent', 'info', 'received exit event container_id:"{id}" id:"{id}" pid:{pid} exit_status:{code} exited_at:{seconds:{sec} nanos:{nanos}}'),
};
