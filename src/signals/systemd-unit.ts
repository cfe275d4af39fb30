/**
 * What systemd says about a service it runs (journald lines of `systemd[1]`, kept as plain text
 * by the parsers): the main process failing (`x.service: Main process exited, code=exited,
 * status=255/EXCEPTION`; a `code=killed` exit is how a stop ends, not a failure), a restart it
 * schedules (`x.service: Scheduled restart job, restart counter is at 3.`), and the start limit
 * that makes it give up (`x.service: Start request repeated too quickly.`).
 * Facts: `unit` (without `.service`), and `code`, `status`, `statusName` / `counter` as stated.
 */
import type { Facts, Signal } from './types.js';

const EXITED = /^(\S+)\.service: Main process exited, code=(exited|dumped), status=(\d+)\/(\S+)$/;
const RESTART = /^(\S+)\.service: Scheduled restart job, restart counter is at (\d+)\.?$/;
const START_LIMIT = /^(\S+)\.service: Start request repeated too quickly\.?$/;

export const systemdUnitFailed: Signal = {
  name: 'systemd-unit-failed',
  components: ['other'],
  describe: "a systemd service's main process exited with a failure status or dumped core",
  match(e): Facts | undefined {
    const m = e.component === 'other' ? EXITED.exec(e.message) : null;
    if (!m || (m[2] === 'exited' && m[3] === '0')) return undefined;
    return { unit: m[1]!, code: m[2]!, status: Number(m[3]), statusName: m[4]! };
  },
};

export const systemdRestartScheduled: Signal = {
  name: 'systemd-restart-scheduled',
  components: ['other'],
  describe: 'systemd schedules a restart of a failed service (with its restart counter)',
  match(e): Facts | undefined {
    const m = e.component === 'other' ? RESTART.exec(e.message) : null;
    return m ? { unit: m[1]!, counter: Number(m[2]) } : undefined;
  },
};

export const systemdStartLimit: Signal = {
  name: 'systemd-start-limit',
  components: ['other'],
  describe: 'systemd gives up restarting a service (start request repeated too quickly)',
  match(e): Facts | undefined {
    const m = e.component === 'other' ? START_LIMIT.exec(e.message) : null;
    return m ? { unit: m[1]! } : undefined;
  },
};
