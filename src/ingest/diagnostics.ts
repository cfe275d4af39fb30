/**
 * How the ingest stages report a problem with one input without stopping the run: the caller
 * prints `ktrail: <file>: <message>` (or collects it for the summary) and goes on with the others.
 */

/** A sink for problems found while discovering or reading inputs. */
export interface Diagnostics {
  warn(file: string, message: string): void;
}

export interface Diagnostic {
  file: string;
  message: string;
}

/** Diagnostics that keep every message, in order (tests, the run summary). */
export class DiagnosticList implements Diagnostics {
  readonly entries: Diagnostic[] = [];

  warn(file: string, message: string): void {
    this.entries.push({ file, message });
  }
}

interface ErrnoLike {
  code?: unknown;
  message?: unknown;
}

/**
 * A short cause for an error, without the path (the caller names the file): node's system errors
 * read "EACCES: permission denied, open '/x'", which becomes "permission denied (EACCES)"; zlib's
 * errors become "gzip: unexpected end of file".
 */
export function describeError(err: unknown): string {
  if (typeof err !== 'object' || err === null) return String(err);
  const { code, message } = err as ErrnoLike;
  const text = typeof message === 'string' ? message : String(err);
  if (typeof code === 'string') {
    if (code.startsWith('Z_')) return `gzip: ${text}`;
    const prefix = `${code}: `;
    if (text.startsWith(prefix)) {
      const rest = text.slice(prefix.length);
      const comma = rest.indexOf(', ');
      const cause = comma >= 0 ? rest.slice(0, comma) : rest;
      return `${cause} (${code})`;
    }
    return text.includes(code) ? text : `${text} (${code})`;
  }
  return text;
}
