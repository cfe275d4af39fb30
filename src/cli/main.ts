#!/usr/bin/env node
/**
 * The ktrail command line. Each subcommand lives in its own module; this file only declares
 * the commands and their flags (commander) and maps outcomes to exit statuses:
 * 0 success, 1 some input could not be fully read (everything else was processed), 2 bad usage.
 */
import { Argument, Command, Option, CommanderError } from 'commander';
import { commandSpecs, completionScript, SHELLS, type Shell } from './completion.js';
import { createDiagnostics } from './diagnostics.js';
import type { ReadFlags } from './read.js';
import { SCENARIOS } from '../sim/scenario-names.js';
import { COMPONENTS } from '../model/event.js';
import { UsageError } from './usage-error.js';
import { FAIL_ON_CHOICES } from './fail-on.js';
import { neutralize } from '../util/sanitize.js';
import { StoreStateError, StoreVersionError } from '../store/errors.js';

// Each command's module is imported when that command runs (`await import` in its action), so
// that `ktrail --help` loads only commander, and the read path never loads ink, chevrotain or
// better-sqlite3. Only light modules (names, choices) are imported above.

const diag = createDiagnostics();

// A reader that goes away (ktrail ... | head) is no error: stop quietly, as Unix tools do, instead
// of dying on an unhandled EPIPE with a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  throw err;
});

function collect(value: string, previous: string[] = []): string[] {
  return previous.concat(value.split(','));
}

export function buildProgram(): Command {
  const program = new Command('ktrail')
    .description("Reads every Kubernetes component's logs into one time-ordered stream and correlates them.")
    .version('0.1.0')
    .exitOverride()
    .showHelpAfterError();

  const asOption = new Option('--as <component>', 'treat every line as written by this component (overrides detection)').choices(
    COMPONENTS as unknown as string[],
  );

  // One store (or one read of several bundles) may hold several clusters: readers see one of them.
  const clusterOption = (): Option => new Option('--cluster <name>', 'only this cluster (a store or inputs that hold several)');

  program
    .command('read [paths...]', { isDefault: true })
    .description('print the events of files, directories, bundles, or stdin, merged in time order')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json', 'raw']).default('text'))
    .option('--component <names>', 'only these components (comma-separated, repeatable)', collect)
    .option('--level <severity>', 'only events at or above this severity (debug, info, warn, error, fatal)')
    .option('--since <time>', 'only events at or after this time (RFC3339, or a duration before now: 15m)')
    .option('--until <time>', 'only events at or before this time')
    .option('--last <duration>', "only the input's own last stretch (10m: the ten minutes before its last event)")
    .option('--fix-skew', "move each host's events by its clock skew, estimated from causal pairs (ktrail stats shows it)")
    .addOption(clusterOption())
    .addOption(asOption)
    .action(async (paths: string[], opts: ReadFlags & { as?: string }) => {
      process.exitCode = await (await import('./read.js')).runRead(paths, { ...opts, forceComponent: opts.as }, diag);
    });

  program
    .command('stats [paths...]')
    .description('account for every line of every source: envelope, format, component, events, folded, unrecognized')
    .option('--json', 'print the report as JSON')
    .option('--db <store>', 'account for what a store holds instead (a SQLite file or clickhouse:// URL; also KTRAIL_DB)')
    .addOption(clusterOption())
    .addOption(asOption)
    .action(async (paths: string[], opts: { json?: boolean; as?: string; cluster?: string; db?: string }) => {
      process.exitCode = await (await import('./stats.js')).runStats(paths, { json: opts.json, forceComponent: opts.as, cluster: opts.cluster, db: opts.db }, diag);
    });

  const dbOption = (): Option => new Option('--db <file>', 'the store: a SQLite file (default: a cache file keyed by the inputs)');
  // Reading inputs into a store: each host's events stored moved by its clock skew (cli/fix-skew.ts).
  const fixSkewOption = (): Option => new Option('--fix-skew', "store each host's events moved by its clock skew, estimated from causal pairs (with PATHs)");
  const jsonOutput = (): Option => new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text');
  /** A command that answers from the store (built from its paths unless --db names one), as text or JSON. */
  const storeCommand = (spec: string, description: string): Command =>
    program.command(spec).description(description).addOption(dbOption()).addOption(jsonOutput()).addOption(fixSkewOption());

  program
    .command('ingest <paths...>')
    .description('read inputs into the store (only new or changed files) and correlate them')
    .addOption(dbOption())
    .option('--json', 'print the summary as JSON')
    .option('--cluster <name>', "the cluster these inputs belong to (default: the bundle's own name, else the folder's)")
    .addOption(fixSkewOption())
    .addOption(asOption)
    .action(async (paths: string[], opts) => {
      process.exitCode = await (await import('./ingest.js')).runIngest(paths, opts, diag);
    });

  storeCommand('trace <ref> [paths...]', 'everything every component said about an object and what it owns (REF: pod/ns/name, ns/name, node/name, a uid)')
    .addOption(clusterOption())
    .option('--all', 'every object the name matches (default: the newest 10 when more had it)')
    .action(async (ref: string, paths: string[], opts) => {
      process.exitCode = await (await import('./trace.js')).runTrace(ref, paths, opts, diag);
    });

  storeCommand('query <expr> [paths...]', 'events selected by a query: {component="kubelet"} |= "Back-off" | pod = "default/web-1"')
    .addOption(clusterOption())
    .option('--limit <n>', 'at most this many events')
    .action(async (expr: string, paths: string[], opts) => {
      process.exitCode = await (await import('./query.js')).runQuery(expr, paths, opts, diag);
    });

  storeCommand('sql <statement> [paths...]', 'read-only SQL over the store (tables: events, event_refs, objects, event_objects, owners, incidents...)')
    .action(async (statement: string, paths: string[], opts) => {
      process.exitCode = await (await import('./sql.js')).runSql(statement, paths, opts, diag);
    });

  storeCommand('incidents [paths...]', 'what went wrong: each incident with its root object, cause chain and evidence (file:line)')
    .addOption(clusterOption())
    .action(async (paths: string[], opts) => {
      process.exitCode = await (await import('./incidents.js')).runIncidents(paths, opts, diag);
    });

  program
    .command('view [paths...]')
    .description('browse, filter, follow and trace in the terminal UI')
    .addOption(dbOption())
    .addOption(clusterOption())
    .addOption(fixSkewOption())
    .option('--follow', 'start in follow mode: appended lines and new files appear live')
    .action(async (paths: string[], opts) => {
      process.exitCode = await (await import('./view.js')).runView(paths, opts, diag);
    });

  program
    .command('ci [path]')
    .description('judge a captured log bundle (folder, file, .tar.gz, .tgz, .tar.xz, .tar.zst, .zip): a report and an exit status')
    .addOption(new Option('--fail-on <severity>', 'fail when an incident reaches this severity').choices(FAIL_ON_CHOICES as unknown as string[]).default('error'))
    .option('--expect <file>', 'accepted incidents and required conditions (YAML or JSON; docs/schemas/expect.schema.json)')
    .option('--junit <file>', 'write a JUnit XML report')
    .option('--markdown <file>', 'write a Markdown report (for $GITHUB_STEP_SUMMARY)')
    .option('--json <file>', 'write the JSON report (docs/schemas/ci-report.v1.schema.json)')
    .option('--html <file>', 'write a self-contained HTML report with a timeline')
    .option('--db <file>', 'keep the store in this SQLite file (default: a temporary one, deleted after the run)')
    .addOption(clusterOption())
    .addOption(fixSkewOption())
    .action(async (path: string | undefined, opts) => {
      process.exitCode = await (await import('./ci.js')).runCi(path, opts, diag);
    });

  program
    .command('export <format> [paths...]')
    .description('export the store: otlp (each root object\'s timeline as an OpenTelemetry trace, OTLP/JSON) or ndjson')
    .addOption(dbOption())
    .addOption(clusterOption())
    .option('--out <file>', 'write here instead of stdout')
    .action(async (format: string, paths: string[], opts) => {
      process.exitCode = await (await import('./export.js')).runExport(format, paths, opts, diag);
    });

  program
    .command('sim')
    .description("write a simulated cluster's logs (a kind export logs bundle) and the truth about them")
    .addOption(new Option('--scenario <name>', 'what goes wrong').choices(SCENARIOS as unknown as string[]).makeOptionMandatory())
    .option('--seed <n>', 'seed: the same seed and options give byte-identical output', '1')
    .requiredOption('--out <dir>', 'folder to write bundle/ and truth/ into')
    .option('--nodes <n>', 'nodes in the cluster')
    .option('--duration <time>', 'simulated time span (600, 90s, 10m)')
    .option('--skew <ms>', 'clock skew between nodes, in milliseconds')
    .option('--scale <n>', 'background load multiplier')
    .option('--k8s-version <v>', '1.32 (structured klog, etcd zap) or 1.20 (older klog, etcd capnslog)', '1.32')
    .option('--logging-format <f>', 'text or json (klog JSON for the klog components)', 'text')
    .action(async (opts) => {
      process.exitCode = await (await import('./sim.js')).runSim(opts);
    });

  program
    .command('demo')
    .description('simulate a busy cluster with several faults and show what ktrail makes of it')
    .addOption(new Option('--scenario <name>', 'scenario to simulate').choices(SCENARIOS as unknown as string[]).default('mixed'))
    .option('--seed <n>', 'seed', '1')
    .option('--keep', 'keep the simulated bundle and print where it is')
    .action(async (opts) => {
      process.exitCode = await (await import('./demo.js')).runDemo(opts, diag);
    });

  program
    .command('completion')
    .description('print shell completion: source <(ktrail completion bash), or zsh; ktrail completion fish | source')
    .addArgument(new Argument('<shell>', 'the shell').choices(SHELLS as unknown as string[]))
    .action((shell: Shell) => {
      const values = { '--component': COMPONENTS as readonly string[], '--scenario': SCENARIOS as readonly string[] };
      process.stdout.write(completionScript(shell, commandSpecs(program, values)));
    });

  return program;
}

async function main(): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(process.argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode === 0 ? 0 : 2;
      return;
    }
    if (err instanceof UsageError || err instanceof StoreVersionError || (err instanceof Error && /^(unknown|not a time)/.test(err.message))) {
      process.stderr.write(`ktrail: ${neutralize(err.message)}\n`); // it may name a path given
      process.exitCode = 2;
      return;
    }
    // Another writer, or an interrupted ingest: the store cannot give a whole answer now.
    if (err instanceof StoreStateError) {
      process.stderr.write(`ktrail: ${neutralize(err.message)}\n`); // it names sources
      process.exitCode = 1;
      return;
    }
    throw err;
  }
}

await main();
