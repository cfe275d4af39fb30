/**
 * JSON.parse for untrusted text (log lines, cut or corrupted records): a text that is not JSON
 * reads as undefined instead of throwing, so that each caller falls back to its own salvage.
 * JSON itself has no undefined, so the answer is never ambiguous.
 */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The text as a JSON object (not null, not an array), or undefined. */
export function parseJsonRecord(text: string): Record<string, unknown> | undefined {
  const value = parseJson(text);
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
