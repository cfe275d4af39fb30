/**
 * The envelope registry, in detection order: on a tie in score, the earlier one wins, so the
 * stricter shapes come first and `none` (which accepts anything) comes last. Adding an envelope
 * is its module and one line here (set `nestable` on it if a minikube section or a cluster-info
 * block may be written in it).
 */
import type { EnvelopeParser } from '../types.js';
import { criEnvelope } from './cri.js';
import { dockerJsonEnvelope } from './docker-json.js';
import {
  journaldJsonEnvelope,
  journaldPreciseEnvelope,
  journaldIsoEnvelope,
  journaldShortEnvelope,
} from './journald.js';
import { timestampEnvelope } from './timestamp.js';
import { kubectlPrefixEnvelope } from './kubectl-prefix.js';
import { composeEnvelope } from './compose.js';
import { sternEnvelope } from './stern.js';
import { kubectlEventsEnvelope } from './kubectl-events.js';
import { minikubeEnvelopeOver } from './minikube.js';
import { clusterInfoEnvelopeOver } from './cluster-info.js';
import { noEnvelope } from './none.js';
import { azureDiagnosticsEnvelope } from './azure-diagnostics.js';
import { gcloudLoggingEnvelope } from './gcloud-logging.js';
import { cloudWatchEnvelope } from './cloudwatch.js';
import { lokiJsonlEnvelope } from './loki-jsonl.js';

/** Every envelope but the two that hold others, in detection order. */
const LEAF_ENVELOPES: readonly EnvelopeParser[] = [
  criEnvelope,
  azureDiagnosticsEnvelope,
  gcloudLoggingEnvelope,
  cloudWatchEnvelope,
  lokiJsonlEnvelope,
  dockerJsonEnvelope,
  journaldJsonEnvelope,
  journaldPreciseEnvelope,
  journaldIsoEnvelope,
  journaldShortEnvelope,
  kubectlPrefixEnvelope,
  composeEnvelope,
  sternEnvelope,
  kubectlEventsEnvelope,
  timestampEnvelope,
  noEnvelope,
];

/** Envelopes a nested part may have, in the registry's order of precedence. */
export const NESTED_ENVELOPES: readonly EnvelopeParser[] = LEAF_ENVELOPES.filter((e) => e.nestable);

export const minikubeEnvelope = minikubeEnvelopeOver(NESTED_ENVELOPES);
export const clusterInfoEnvelope = clusterInfoEnvelopeOver(NESTED_ENVELOPES);

// The containers of containers come first: their markers are unmistakable, and the first
// section's own envelope must not outscore the dump.
export const ENVELOPES: readonly EnvelopeParser[] = [minikubeEnvelope, clusterInfoEnvelope, ...LEAF_ENVELOPES];
