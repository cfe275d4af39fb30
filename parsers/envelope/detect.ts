/**
 * Picks a source's envelope from a sample of its first non-empty lines: the registry's envelope
 * with the highest score, the earlier one on a tie, `none` when nothing scores.
 */
import type { EnvelopeParser } from '../types.js';
import { ENVELOPES } from './index.js';
import { pickEnvelope } from './nested.js';

export function detectEnvelope(sample: string[]): EnvelopeParser {
  return pickEnvelope(sample, ENVELOPES);
}
