/**
 * The envelope registry, in detection order: on a tie in score, the earlier one wins, so the
 * stricter shapes come first and `none` (which accepts anything) comes last.
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
import { minikubeEnvelope } from './minikube.js';
import { clusterInfoEnvelope } from './cluster-info.js';
import { noEnvelope } from './none.js';
import { azureDiagnosticsEnvelope } from './azure-diagnostics.js';
import { gcloudLoggingEnvelope } from './gcloud-logging.js';
import { cloudWatchEnvelope } from './cloudwatch.js';
import { lokiJsonlEnvelope } from './loki-jsonl.js';

export const ENVELOPES: readonly EnvelopeParser[] = [
  minikubeEnvelope,
  clusterInfoEnvelope,
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
