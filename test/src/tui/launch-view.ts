/**
 * `ktrail view` as main.ts will run it, for the end-to-end test while the command is not wired
 * into main.ts: the same runView, flags and exit statuses.
 */
import { createDiagnostics } from '../../../src/cli/diagnostics.js';
import { UsageError } from '../../../src/cli/usage-error.js';
import { runView, type ViewFlags } from '../../../src/cli/view.js';

const flags: ViewFlags = {};
const paths: string[] = [];
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  const a = args[i]!;
  if (a === '--db') flags.db = args[++i];
  else if (a === '--follow') flags.follow = true;
  else paths.push(a);
}
try {
  process.exitCode = await runView(paths, flags, createDiagnostics());
} catch (err) {
  if (!(err instanceof UsageError)) throw err;
  process.stderr.write(`ktrail: ${err.message}\n`);
  process.exitCode = 2;
}
