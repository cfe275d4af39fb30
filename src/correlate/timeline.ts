/**
 * An object's cross-component timeline is a question the store answers
 * (KtrailStore.objects.timeline, assembled in src/store/timeline.ts); its types are re-exported
 * here for the views that import them from this place.
 */
export type { Timeline, TimelineStep } from '../store/store.js';
export { TIMELINE_MIN_CONFIDENCE } from '../store/timeline.js';
