/**
 * Files that travel with captured logs but are not logs, told by name or by their first line, so
 * that they are set aside with a reason (counted in the accounting) instead of being read as
 * thousands of unrecognized lines. Seen in the corpus: failure-reproduction captures keep
 * `kubectl top` CSVs and timestamped `kubectl describe` snapshots beside the logs; must-gather
 * keeps an HTML event viewer and resource dumps.
 */

/** Extensions of tables and pages: data about the cluster, not lines a component wrote. */
const BY_EXTENSION: readonly (readonly [RegExp, string])[] = [
  [/\.(csv|tsv)$/i, 'not a log (table)'],
  [/\.html?$/i, 'not a log (HTML page)'],
];

/**
 * A comma-separated first line that starts with a bare word and a comma: a CSV header or row
 * (`command,keyword,start_cdt,...`, `start_time,UTC,2023-08-30T04:47:01,...`), or a snapshot
 * series' header is the exception, see notALogByContent). No log
 * format ktrail reads starts that way: klog, journald and timestamps have a space before any
 * comma, JSON starts with a brace, logfmt with `key=`.
 */
const CSV_FIRST_LINE = /^[A-Za-z_][\w.()%-]*,[^,\s]*,[^,]*(?:,[^,]*)*$/;

/** The reason a file is not a log, from its name, or undefined when it may be one. */
export function notALogByName(name: string): string | undefined {
  for (const [re, reason] of BY_EXTENSION) if (re.test(name)) return reason;
  return undefined;
}

/** The reason a file is not a log, from its first line (decoded text), or undefined. */
export function notALogByContent(firstLine: string): string | undefined {
  const line = firstLine.replace(/^\uFEFF/, '').replace(/\r$/, '');
  // `idx,N,LOG_TIME,...` heads a series of timestamped `kubectl describe` snapshots, which the
  // kubectl-events envelope reads (their Events sections): not a table.
  if (/^idx,\d+,LOG_TIME,/.test(line)) return undefined;
  if (CSV_FIRST_LINE.test(line)) return 'not a log (comma-separated table)';
  // Go's time.Time.String() with its monotonic reading, alone on the line: must-gather's
  // `timestamp` file (when the gather started and ended), not an event.
  if (/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? [+-]\d{4} \S+ m=[+-][\d.]+$/.test(line)) return 'not a log (a timestamp record)';
  return undefined;
}
