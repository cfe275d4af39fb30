/**
 * The tool's own messages about its inputs ("this file is missing", "this gzip is truncated").
 * People read them on stderr as `ktrail: <file>: <cause>`; with KTRAIL_DIAGNOSTICS=json, pino
 * writes them as JSON lines for machines.
 */
import { createRequire } from 'node:module';
import type pinoModule from 'pino';

// pino is loaded only when JSON diagnostics are asked for: every command creates its diagnostics
// at start-up, and loading pino there would slow `ktrail --help` for nothing.
const require = createRequire(import.meta.url);
import { neutralize } from '../util/sanitize.js';

export interface Diagnostics {
  warn(file: string, message: string): void;
  /** Number of problems reported so far. */
  readonly count: number;
}

export function createDiagnostics(env: NodeJS.ProcessEnv = process.env): Diagnostics {
  let count = 0;
  const json = env.KTRAIL_DIAGNOSTICS === 'json';
  const pino = json ? (require('pino') as typeof pinoModule) : undefined;
  const logger = pino ? pino({ base: null }, pino.destination({ dest: 2, sync: true })) : undefined;
  return {
    warn(file, message) {
      count++;
      if (logger) logger.warn({ file }, message);
      // File and archive entry names are untrusted text too (a name can hold an escape
      // sequence): shown with their control characters visible, here for every diagnostic.
      else process.stderr.write(`ktrail: ${neutralize(file)}: ${neutralize(message)}\n`);
    },
    get count() {
      return count;
    },
  };
}
