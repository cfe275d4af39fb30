/**
 * `ktrail ci PATH [--fail-on SEVERITY] [--expect FILE] [--junit FILE] [--markdown FILE]
 * [--json FILE] [--html FILE] [--db FILE]`: reads a cluster's logs (a folder, one log file, or
 * an archive extracted safely into a temporary folder), detects incidents, judges them against
 * the threshold and the expectations, prints a summary and writes the reports asked for.
 *
 * Exit status: 0 when no incident reaches --fail-on (default error) and every requirement is
 * met; 1 otherwise; 2 for bad usage or input that cannot be read (the message names the cause;
 * --json then holds it too).
 * With GITHUB_ACTIONS=true, incidents are also printed as workflow annotations.
 */
import { constants } from 'node:fs';
import { access, appendFile, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import { FAIL_ON_CHOICES } from './fail-on.js';
import { colorEnabled } from '../output/colors.js';
import { formatAnnotations } from '../report/annotations.js';
import { archiveKind, extractArchive, type ArchiveLimits } from '../report/archive/extract.js';
import { buildCiReport } from '../report/build.js';
import { ExpectationsError, loadExpectations, type Expectations } from '../report/expect.js';
import { formatHtml } from '../report/html.js';
import { buildHtmlData } from '../report/html-data.js';
import { formatJunit } from '../report/junit.js';
import { formatMarkdown } from '../report/markdown.js';
import { formatTerminalSummary } from '../report/terminal.js';
import { REPORT_SCHEMA_VERSION, type CiErrorReport, type CiReport, type FailOn } from '../report/types.js';
import { ktrailVersion } from '../report/version.js';
import { StoreStateError } from '../store/lock.js';
import { StoreVersionError } from '../store/schema.js';
import { neutralize } from '../util/sanitize.js';
import type { Diagnostics } from './diagnostics.js';
import { openStoreFor } from './open-store.js';
import { UsageError } from './usage-error.js';

export interface CiFlags {
  failOn?: string;
  expect?: string;
  junit?: string;
  markdown?: string;
  json?: string;
  html?: string;
  db?: string;
  /** Judge only this cluster of the store (a --db that holds several). */
  cluster?: string;
  /** Store each host's events moved by its clock skew (cli/fix-skew.ts). */
  fixSkew?: boolean;
}

/** Where output goes: the process's streams, or a test's. */
export interface CiIo {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown };
  env: NodeJS.ProcessEnv;
  /** Archive bounds (tests lower them). */
  limits?: Partial<ArchiveLimits>;
}

const processIo = (): CiIo => ({ stdout: process.stdout, stderr: process.stderr, env: process.env });

export { FAIL_ON_CHOICES };

function parseFailOn(value: string | undefined): FailOn {
  const v = (value ?? 'error').toLowerCase();
  if ((FAIL_ON_CHOICES as readonly string[]).includes(v)) return v as FailOn;
  throw new UsageError(`--fail-on must be one of ${FAIL_ON_CHOICES.join(', ')}, not "${value}"`);
}

/** The input as read: the folder or file to ingest, and what the report says about it. */
interface ResolvedInput {
  path: string;
  report: CiReport['input'];
  /** For annotations: an evidence file to the path GitHub should link (undefined inside an archive). */
  locate(file: string): string | undefined;
}

/** A path relative to the working directory when it lies below it (GitHub links workspace paths). */
function workspacePath(p: string, env: NodeJS.ProcessEnv): string {
  const base = env.GITHUB_WORKSPACE || process.cwd();
  const abs = resolve(p);
  const rel = relative(base, abs);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : abs;
}

async function resolveInput(path: string, tmp: () => Promise<string>, diag: Diagnostics, io: CiIo): Promise<ResolvedInput> {
  let st;
  try {
    st = await stat(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${path}: ${code === 'ENOENT' ? 'no such file or directory' : ((err as Error).message ?? code)}`);
  }
  const name = basename(resolve(path));
  if (st.isDirectory()) {
    return {
      path,
      report: { name, type: 'directory', sources: 0, refused: [], stopped: null },
      locate: (file) => workspacePath(join(path, file), io.env),
    };
  }
  if (!st.isFile()) throw new UsageError(`cannot read ${path}: not a file or directory`);
  try {
    await access(path, constants.R_OK);
  } catch (err) {
    throw new UsageError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const kind = archiveKind(path);
  if (!kind) {
    return {
      path,
      report: { name, type: 'file', sources: 0, refused: [], stopped: null },
      locate: () => workspacePath(path, io.env),
    };
  }
  const into = join(await tmp(), 'archive');
  let result;
  try {
    result = await extractArchive(path, kind, into, {
      limits: io.limits,
      onRefuse: (r) => diag.warn(path, `refused archive entry "${neutralize(r.entry)}": ${r.reason}`),
      onRename: (r) => diag.warn(path, `archive entry "${neutralize(r.entry)}" appears twice: the second is read as "${neutralize(r.keptAs)}"`),
    });
  } catch (err) {
    throw new UsageError(`cannot read ${path}: ${(err as Error).message}`);
  }
  if (result.stopped) diag.warn(path, result.stopped);
  if (result.files === 0 && result.stopped) throw new UsageError(`cannot read ${path} as a ${kind} archive: ${result.stopped}`);
  return {
    path: into,
    report: { name, type: 'archive', sources: 0, refused: result.refused, stopped: result.stopped ?? null },
    locate: () => undefined,
  };
}

async function writeOutput(flag: string, file: string, text: string, env: NodeJS.ProcessEnv): Promise<void> {
  try {
    // The step summary file collects what every command of a step writes: add to it, as GitHub asks.
    if (env.GITHUB_STEP_SUMMARY && resolve(file) === resolve(env.GITHUB_STEP_SUMMARY)) await appendFile(file, text);
    else await writeFile(file, text);
  } catch (err) {
    throw new UsageError(`cannot write ${flag} ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/**
 * With exit status 2 the --json file still says what happened (replacing a report written before
 * a later output failed), so a pipeline reading it never takes an old or missing file for a verdict.
 */
async function writeErrorReport(file: string, path: string | undefined, message: string, io: CiIo): Promise<void> {
  const report: CiErrorReport = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'ktrail', version: ktrailVersion() },
    input: path ? basename(resolve(path)) : null,
    result: 'error',
    exitCode: 2,
    error: message,
  };
  try {
    await writeOutput('--json', file, JSON.stringify(report, null, 2) + '\n', io.env);
  } catch (err) {
    io.stderr.write(`ktrail ci: ${(err as Error).message}\n`); // the failure was the --json file itself
  }
}

export async function runCi(path: string | undefined, flags: CiFlags, diag: Diagnostics, io: CiIo = processIo()): Promise<number> {
  let tmpDir: string | undefined;
  const tmp = async (): Promise<string> => (tmpDir ??= await mkdtemp(join(tmpdir(), 'ktrail-ci-')));
  try {
    if (!path) throw new UsageError('ktrail ci needs a PATH: a folder, a log file, or an archive (.tar.gz, .tgz, .tar.xz, .txz, .tar.zst, .tzst, .tar, .zip)');
    const failOn = parseFailOn(flags.failOn);
    let expectations: Expectations | undefined;
    if (flags.expect) expectations = await loadExpectations(flags.expect);
    const input = await resolveInput(path, tmp, diag, io);

    // A CI run reads its inputs once: a store in the temporary folder (unless --db keeps one).
    const db = flags.db ?? join(await tmp(), 'ktrail.db');
    const opened = await openStoreFor([input.path], { db, cluster: flags.cluster, fixSkew: flags.fixSkew }, diag);
    const { store } = opened;
    try {
      if (store.events.count() === 0) throw new UsageError(`no log lines found in ${path}`);
      // Correlating (when anything was ingested) detects incidents too; a --db store opened as it
      // was may come from before incident detection, so it is run here then.
      if (!opened.link) await opened.detectIncidents();
      const report = buildCiReport(store, { failOn, expectations, input: input.report, version: ktrailVersion() });

      if (flags.json) await writeOutput('--json', flags.json, JSON.stringify(report, null, 2) + '\n', io.env);
      if (flags.junit) await writeOutput('--junit', flags.junit, formatJunit(report), io.env);
      if (flags.markdown) await writeOutput('--markdown', flags.markdown, formatMarkdown(report), io.env);
      if (flags.html) await writeOutput('--html', flags.html, formatHtml(report, buildHtmlData(store, report)), io.env);

      io.stdout.write(formatTerminalSummary(report, colorEnabled(io.stdout, io.env)));
      if (io.env.GITHUB_ACTIONS === 'true') io.stdout.write(formatAnnotations(report, input.locate));
      return report.exitCode;
    } finally {
      store.close();
    }
  } catch (err) {
    if (err instanceof UsageError || err instanceof ExpectationsError || err instanceof StoreVersionError || err instanceof StoreStateError) {
      io.stderr.write(`ktrail ci: ${neutralize(err.message)}\n`);
      if (flags.json) await writeErrorReport(flags.json, path, err.message, io);
      return 2;
    }
    throw err;
  } finally {
    if (tmpDir) await rm(tmpDir, { recursive: true, force: true });
  }
}
