/**
 * `ktrail sim --scenario NAME --seed N --out DIR`: writes a simulated cluster's log bundle and
 * its ground truth (src/sim).
 */
import { runSimulation, SCENARIOS } from '../sim/index.js';

export interface SimFlags {
  scenario: string;
  seed: string;
  out: string;
  nodes?: string;
  duration?: string;
  skew?: string;
  scale?: string;
  k8sVersion?: string;
  loggingFormat?: string;
}

function intFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`not a number: --${name} ${value}`);
  return n;
}

/** "90s", "10m", "1h" or plain seconds. */
function durationSeconds(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)(s|m|h)?$/.exec(value.trim());
  if (!m) throw new Error(`not a duration: --duration ${value} (try 600, 90s, 10m)`);
  return Number(m[1]) * (m[2] === 'h' ? 3600 : m[2] === 'm' ? 60 : 1);
}

export async function runSim(flags: SimFlags): Promise<number> {
  if (!(SCENARIOS as readonly string[]).includes(flags.scenario)) {
    process.stderr.write(`ktrail sim: unknown scenario "${flags.scenario}" (one of: ${SCENARIOS.join(', ')})\n`);
    return 2;
  }
  const version = flags.k8sVersion ?? '1.32';
  if (version !== '1.32' && version !== '1.20') {
    process.stderr.write(`ktrail sim: --k8s-version is 1.32 or 1.20, not "${version}"\n`);
    return 2;
  }
  const format = flags.loggingFormat ?? 'text';
  if (format !== 'text' && format !== 'json') {
    process.stderr.write(`ktrail sim: --logging-format is text or json, not "${format}"\n`);
    return 2;
  }
  const started = Date.now();
  const result = await runSimulation({
    scenario: flags.scenario,
    seed: intFlag('seed', flags.seed) ?? 1,
    out: flags.out,
    nodes: intFlag('nodes', flags.nodes),
    durationSec: durationSeconds(flags.duration),
    skewMs: intFlag('skew', flags.skew),
    scale: intFlag('scale', flags.scale),
    k8sVersion: version,
    loggingFormat: format,
  });
  const seconds = (Date.now() - started) / 1000;
  process.stderr.write(
    `ktrail sim: ${flags.scenario}: ${result.lines.toLocaleString()} lines, ${(result.bytes / 1e6).toFixed(1)} MB in ${result.files} files ` +
      `written to ${flags.out} in ${seconds.toFixed(1)} s\n`,
  );
  return 0;
}
