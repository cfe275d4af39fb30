/** A query that cannot be parsed: where (1-based column) and what would have been accepted. */
export class QueryError extends Error {
  override name = 'QueryError';
  constructor(
    message: string,
    /** 1-based column (UTF-16 code units from the start of the query). */
    readonly column: number,
    /** What the parser would have accepted there, for completion lists and tests. */
    readonly expected: string[],
  ) {
    super(message);
  }
}
