/** A mistake in how ktrail was called: reported in one line, exit status 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
