/**
 * What systemd says about a service it runs (journald lines of `systemd[1]`, kept as plain text
 * by the parsers): the main process failing (`x.service: Main process exited, code=exited,
 * status=255/EXCEPTION`; a `code=killed` exit is how a stop ends, not a failure), a restart it
 * schedules (`x.service: Scheduled restart job, restart counter is at 3.`), and the start limit
 * that makes it give up (`x.service: Start request repeated too quickly.`).
 * Facts: `unit` (without `.service`), and `code`, `status`, `statusName` / `counter` as stated.
 */
import { componentSignal } from './types.js';

const EXITED = /^(\S+)\.service: Main process exited, code=(exited|dumped), status=(\d+)\/(\S+)$/;
const RESTART = /^(\S+)\.service: Scheduled restart job, restart counter is at (\d+)\.?$/;
const START_LIMIT = /^(\S+)\.service: Start request repeated too quickly\.?$/;

// journald's systemd lines are of no Kubernetes component: the parsers file them under 'other'.
export const systemdUnitFailed = componentSignal('systemd-unit-failed', 'other', "a systemd service's main process exited with a failure status or dumped core", (e) => {
  const m = EXITED.exec(e.message);
  if (!m || (m[2] === 'exited' && m[3] === '0')) return undefined;
  return { unit: m[1]!, code: m[2]!, status: Number(m[3]), statusName: m[4]! };
});

export const systemdRestartScheduled = componentSignal('systemd-restart-scheduled', 'other', 'systemd schedules a restart of a failed service (with its restart counter)', (e) => {
  const m = RESTART.exec(e.message);
  return m ? { unit: m[1]!, counter: Number(m[2]) } : undefined;
});

export const systemdStartLimit = componentSignal('systemd-start-limit', 'other', 'systemd gives up restarting a service (start request repeated too quickly)', (e) => {
  const m = START_LIMIT.exec(e.message);
  return m ? { unit: m[1]! } : undefined;
});
