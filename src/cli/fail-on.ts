/** `ktrail ci --fail-on` choices, apart from ci.ts so that declaring the flag loads nothing else. */
import { SEVERITIES } from '../model/event.js';

export const FAIL_ON_CHOICES = [...SEVERITIES, 'none'] as const;
