/**
 * A JSON object column read leniently (events.fields, incidents.details, event_signals.facts).
 * The writer stores what JSON.stringify produced, so our own rows always parse; a hand-edited or
 * damaged store is still not worth crashing over, so anything else reads as no object.
 */
export function parseJsonObject(text: string | null): Record<string, unknown> | null {
  if (!text || text.charCodeAt(0) !== 123 /* { */) return null;
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** An event's fields: an object, empty when the column holds none. */
export function parseFields(text: string | null): Record<string, unknown> {
  return parseJsonObject(text) ?? {};
}
